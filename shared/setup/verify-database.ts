import type { Db } from '../db/client';
import { readMigrationStatus } from '../db/migration-status';
import { readSchemaCatalog } from './catalog.repository';
import { expectedSchema } from './expected-schema';
import type { CheckStatus, DatabaseVerification, SchemaCheck } from './schemas';

const KINDS = ['tables', 'columns', 'indexes', 'constraints'] as const;

function compare(expected: Record<string, string>, actual: Record<string, string>): SchemaCheck[] {
  return Object.entries(expected).map(([name, definition]) => {
    const found = actual[name];
    const status: CheckStatus = found === undefined ? 'missing' : found === definition ? 'ok' : 'different';
    return { name, status, expected: definition, actual: found ?? null };
  });
}

/**
 * Checks every table, column, index and constraint the migrations define against the live
 * database, and reports which migration it is at. `expected-schema.json` is generated from a
 * freshly migrated database (`npm run schema:manifest`) and a test keeps it in step; it names the
 * migrations too, so this carries none of their code.
 */
export async function verifyDatabase(db: Db): Promise<DatabaseVerification> {
  const expected = await expectedSchema();
  const [actual, migration] = await Promise.all([readSchemaCatalog(db), readMigrationStatus(db, expected.migrations)]);
  const checks = Object.fromEntries(KINDS.map((kind) => [kind, compare(expected[kind], actual[kind])])) as DatabaseVerification['checks'];
  const summary = Object.fromEntries(
    KINDS.map((kind) => {
      const counts: Record<CheckStatus, number> = { ok: 0, missing: 0, different: 0 };
      for (const check of checks[kind]) counts[check.status] += 1;
      return [kind, counts];
    }),
  ) as DatabaseVerification['summary'];
  const ok = migration.pending.length === 0 && KINDS.every((kind) => checks[kind].every((c) => c.status === 'ok'));
  return { ok, migration, summary, checks };
}
