import { join } from 'node:path';
import { closeDb, getDb } from '../shared/db/client';
import { migrateDown, migrateToLatest, migrationStatus } from '../shared/db/migrator';
import { type Command, parseCommandLine, runCommand } from './cli';
import { dataDir } from './data-dir';
import { type LocalPostgres, startPostgres } from './postgres';

const MIGRATE: Command = {
  name: 'npm run migrate',
  usage: `Usage: npm run migrate [-- --down]

Applies the pending migrations of migrations/index.ts, and prints what it applied and where the
database now is.

Options:
  --down        revert the latest applied migration instead
  -h, --help    print this help

The database, the first that is configured:
  the Data API    DB_CLUSTER_ARN, DB_SECRET_ARN and DB_NAME (with AWS credentials): the deployed cluster
  DATABASE_URL    a Postgres connection string
  the local one   the local stack's, under DATA_DIR (default .local/) on PG_PORT (54329), started
                  for the purpose: stop \`npm start\` first (it applies migrations itself as it starts)
`,
};

/** `npm run migrate [-- --down]`: see MIGRATE's usage. */
await runCommand(MIGRATE, async () => {
  const { down } = parseCommandLine(MIGRATE, { down: { type: 'boolean', default: false } });
  let postgres: LocalPostgres | undefined;
  if (process.env.DATABASE_URL === undefined && process.env.DB_CLUSTER_ARN === undefined) {
    postgres = await startPostgres({ dataDir: join(dataDir(), 'postgres'), port: Number(process.env.PG_PORT ?? 54329) });
    await postgres.createDatabase('tokenstocks');
    process.env.DATABASE_URL = postgres.urlFor('tokenstocks');
  }
  try {
    const db = getDb();
    const changed = down ? await migrateDown(db) : await migrateToLatest(db);
    console.log(`${down ? 'reverted' : 'applied'}: ${changed.join(', ') || 'nothing'}`);
    console.log(`now at: ${(await migrationStatus(db)).current ?? 'no migration'}`);
  } finally {
    await closeDb();
    await postgres?.stop();
  }
});
