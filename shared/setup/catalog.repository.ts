import { sql } from 'kysely';
import type { Db } from '../db/client';

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

export async function readSchemaCatalog(db: Db): Promise<SchemaCatalog> {
  const [tables, columns, indexes, constraints] = await Promise.all([
    sql<{ name: string; definition: string }>`
      SELECT c.relname AS name, 'table' AS definition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND ${OWN_TABLES}`.execute(db),
    sql<{ name: string; definition: string }>`
      SELECT c.relname || '.' || a.attname AS name,
             format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END AS definition
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND ${OWN_TABLES}`.execute(db),
    sql<{ name: string; definition: string }>`
      SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND ${OWN_TABLES}`.execute(db),
    sql<{ name: string; definition: string }>`
      SELECT c.relname || '.' || k.conname AS name, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND ${OWN_TABLES}`.execute(db),
  ]);
  const byName = (rows: { name: string; definition: string }[]) =>
    Object.fromEntries(rows.map((row) => [row.name, row.definition]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  return {
    tables: byName(tables.rows),
    columns: byName(columns.rows),
    indexes: byName(indexes.rows),
    constraints: byName(constraints.rows),
  };
}
