import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { readSchemaCatalog } from '../shared/setup/catalog.repository';
import { dataDir } from './data-dir';
import { startPostgres } from './postgres';

/**
 * `npm run schema:manifest`: migrates a scratch database from empty and writes what the
 * migrations define to shared/setup/expected-schema.json, which verify-database checks against.
 * Run it after adding a migration; a test fails while the file is stale.
 */
const MANIFEST = resolve(import.meta.dirname, '../shared/setup/expected-schema.json');
const scratch = `schema_manifest_${process.pid}`;

const postgres = await startPostgres({ dataDir: join(dataDir(), 'postgres'), port: Number(process.env.PG_PORT ?? 54329) });
try {
  await postgres.createDatabase(scratch);
  const db = createDb({ driver: 'pg', connectionString: postgres.urlFor(scratch), poolSize: 2 });
  try {
    await migrateToLatest(db);
    writeFileSync(MANIFEST, `${JSON.stringify(await readSchemaCatalog(db), null, 2)}\n`);
    console.log(`wrote ${MANIFEST}`);
  } finally {
    await db.destroy();
  }
} finally {
  await postgres.dropDatabase(scratch);
  await postgres.stop();
}
