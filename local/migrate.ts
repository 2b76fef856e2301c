import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '../shared/db/client';
import { migrateDown, migrateToLatest, migrationStatus } from '../shared/db/migrator';
import { dataDir } from './data-dir';
import { type LocalPostgres, startPostgres } from './postgres';

/**
 * `npm run migrate` applies pending migrations; `npm run migrate -- --down` reverts the latest.
 * Against the deployed cluster through the Data API when DB_CLUSTER_ARN, DB_SECRET_ARN and DB_NAME
 * are set (with AWS credentials), against DATABASE_URL when set, otherwise against the local
 * stack's database (started for the purpose, so do not run it while `npm start` is running).
 */
const { values } = parseArgs({ options: { down: { type: 'boolean', default: false } } });

let postgres: LocalPostgres | undefined;
if (process.env.DATABASE_URL === undefined && process.env.DB_CLUSTER_ARN === undefined) {
  postgres = await startPostgres({ dataDir: join(dataDir(), 'postgres'), port: Number(process.env.PG_PORT ?? 54329) });
  await postgres.createDatabase('tokenstocks');
  process.env.DATABASE_URL = postgres.urlFor('tokenstocks');
}
try {
  const db = getDb();
  const changed = values.down ? await migrateDown(db) : await migrateToLatest(db);
  console.log(`${values.down ? 'reverted' : 'applied'}: ${changed.join(', ') || 'nothing'}`);
  console.log(`now at: ${(await migrationStatus(db)).current ?? 'no migration'}`);
} finally {
  await closeDb();
  await postgres?.stop();
}
