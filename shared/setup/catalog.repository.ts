import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client';
import { readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';

/**
 * The parts of the live schema the migrations define, keyed by name, each with the definition
 * Postgres reports. Kysely's own migration tables are left out.
 */
export interface SchemaCatalog {
  tables: Record<string, string>;
  columns: Record<string, string>;
  indexes: Record<string, string>;
  constraints: Record<string, string>;
}

const OWN_TABLES = sql`c.relname NOT LIKE 'kysely_migration%'`;

/** A definition is cut to this many characters (the longest the migrations make is about 700). */
const DEFINITION_MAX_CHARS = 4_096;
/** Each part of the catalog: a name (table, or table and column, index or constraint: 63 characters each) and its definition. */
const catalogRows = readBound({ name: width.text(127), definition: width.text(DEFINITION_MAX_CHARS) });

type Row = { name: string; definition: string };

const parts: Record<keyof SchemaCatalog, RawBuilder<Row>> = {
  tables: sql`
    SELECT c.relname AS name, 'table' AS definition
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND ${OWN_TABLES}`,
  columns: sql`
    SELECT c.relname || '.' || a.attname AS name,
           format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END AS definition
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND ${OWN_TABLES}`,
  indexes: sql`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND ${OWN_TABLES}`,
  constraints: sql`
    SELECT c.relname || '.' || k.conname AS name, pg_get_constraintdef(k.oid) AS definition
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND ${OWN_TABLES}`,
};

/** One part of the catalog, by name, read in as many calls as its rows need. */
async function readPart(db: Db, part: RawBuilder<Row>): Promise<Row[]> {
  const rows: Row[] = [];
  const all = { limit: Number.POSITIVE_INFINITY };
  for await (const row of readByKey(all, catalogRows.rowsPerCall, (r: Row) => r.name, async (after, limit) => {
    const { rows: page } = await sql<Row>`
      SELECT p.name, left(p.definition, ${sql.lit(DEFINITION_MAX_CHARS)}) AS definition FROM (${part}) p
      WHERE ${after === undefined ? sql`true` : sql`p.name COLLATE "C" > ${after} COLLATE "C"`}
      ORDER BY p.name COLLATE "C" LIMIT ${limit}`.execute(db);
    return page;
  })) {
    rows.push(row);
  }
  return rows;
}

export async function readSchemaCatalog(db: Db): Promise<SchemaCatalog> {
  const [tables, columns, indexes, constraints] = await Promise.all([
    readPart(db, parts.tables),
    readPart(db, parts.columns),
    readPart(db, parts.indexes),
    readPart(db, parts.constraints),
  ]);
  const byName = (rows: Row[]) => Object.fromEntries(rows.map((row) => [row.name, row.definition]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  return { tables: byName(tables), columns: byName(columns), indexes: byName(indexes), constraints: byName(constraints) };
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  readSchemaCatalog: catalogRows,
};
