import { sql } from 'kysely';
import type { Db } from './client';
import { readByKey } from './keyset';
import { readBound, width } from './result-size';

/** Kysely's Migrator records each migration it applied here (its default table). */
const MIGRATION_TABLE = 'kysely_migration';

/** A migration's name (Kysely's column is varchar(255)); the migrations name themselves in ASCII. */
const appliedRows = readBound({ name: width.ascii(255) });

/**
 * The names of the migrations applied to the database, in name order; none when no migration has
 * run yet (the table does not exist). Reads Kysely's table as its Migrator does, without the
 * Migrator and the migrations' code.
 */
export async function readAppliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ present: boolean }>`SELECT to_regclass(${sql.lit(MIGRATION_TABLE)}) IS NOT NULL AS present`.execute(db);
  if (rows[0]?.present !== true) return [];
  const names: string[] = [];
  const all = { limit: Number.POSITIVE_INFINITY };
  for await (const { name } of readByKey(all, appliedRows.rowsPerCall, (row: { name: string }) => row.name, async (after, limit) => {
    const { rows: page } = await sql<{ name: string }>`
      SELECT name FROM ${sql.table(MIGRATION_TABLE)}
      WHERE ${after === undefined ? sql`true` : sql`name COLLATE "C" > ${after} COLLATE "C"`}
      ORDER BY name COLLATE "C" LIMIT ${limit}`.execute(db);
    return page;
  })) {
    names.push(name);
  }
  return names;
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  readAppliedMigrations: appliedRows,
};
