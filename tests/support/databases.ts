import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database on the test server: empty, or a copy of the migrated template. */
export async function createDatabase({ migrated }: { migrated: boolean }): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? ` TEMPLATE "${inject('templateDatabase')}"` : '';
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"${template}`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
