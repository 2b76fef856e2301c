import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../local/postgres';
import { createDb } from '../../shared/db/client';
import { migrateToLatest } from '../../shared/db/migrator';

export const TEMPLATE_DATABASE = 'tokenstocks_migrated';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the test server's `postgres` database, for creating databases. */
    postgresAdminUrl: string;
    templateDatabase: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Once per test run: a real PostgreSQL server in a temporary directory, and a template
 * database migrated to latest from which every test file copies its own database.
 */
export default async function setup(project: TestProject) {
  const dataDir = join(tmpdir(), `tokenstocks-test-${randomBytes(6).toString('hex')}`);
  const postgres = await startPostgres({ dataDir, port: await freePort() });
  await postgres.createDatabase(TEMPLATE_DATABASE);
  const db = createDb({ driver: 'pg', connectionString: postgres.urlFor(TEMPLATE_DATABASE), poolSize: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  project.provide('postgresAdminUrl', postgres.urlFor('postgres'));
  project.provide('templateDatabase', TEMPLATE_DATABASE);

  return async () => {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
