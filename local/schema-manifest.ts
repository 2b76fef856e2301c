import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { readAppliedMigrations } from '../shared/db/applied-migrations.repository';
import { readSchemaCatalog } from '../shared/setup/catalog.repository';
import type { ExpectedSchema } from '../shared/setup/expected-schema';
import { type Command, parseCommandLine, runCommand } from './cli';
import { dataDir } from './data-dir';
import { packedJsonModule } from './packed-json';
import { startPostgres } from './postgres';

const MANIFEST = resolve(import.meta.dirname, '../shared/setup/expected-schema.json');
/** The same, compressed, as the verify-database handler carries it. */
const PACKED = resolve(import.meta.dirname, '../shared/setup/expected-schema.packed.ts');

const SCHEMA_MANIFEST: Command = {
  name: 'npm run schema:manifest',
  usage: `Usage: npm run schema:manifest

Migrates a scratch database from empty and writes what the migrations define to
shared/setup/expected-schema.json (and its compressed twin expected-schema.packed.ts), which
GET /api/setup/verify-database checks a database against. Run it after adding a migration: a test fails while the file is stale.

It uses the local stack's Postgres under DATA_DIR (default .local/) on PG_PORT (54329), started for
the purpose: stop \`npm start\` first.

Options:
  -h, --help    print this help
`,
};

/** `npm run schema:manifest`: see SCHEMA_MANIFEST's usage. */
await runCommand(SCHEMA_MANIFEST, async () => {
  parseCommandLine(SCHEMA_MANIFEST, {});
  const scratch = `schema_manifest_${process.pid}`;
  const postgres = await startPostgres({ dataDir: join(dataDir(), 'postgres'), port: Number(process.env.PG_PORT ?? 54329) });
  try {
    await postgres.createDatabase(scratch);
    const db = createDb({ driver: 'pg', connectionString: postgres.urlFor(scratch), poolSize: 2 });
    try {
      await migrateToLatest(db);
      const manifest: ExpectedSchema = { migrations: await readAppliedMigrations(db), ...(await readSchemaCatalog(db)) };
      writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
      writeFileSync(PACKED, packedJsonModule('EXPECTED_SCHEMA_BROTLI_BASE64', manifest, 'npm run schema:manifest'));
      console.log(`wrote ${MANIFEST} and ${PACKED}`);
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.dropDatabase(scratch);
    await postgres.stop();
  }
});
