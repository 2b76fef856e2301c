import type { Decimal } from 'decimal.js';
import { type RawBuilder, sql } from 'kysely';
import { jsonTextLength } from './result-size';

/**
 * Typed SQL parameters.
 *
 * The RDS Data API sends string parameters as untyped text, so `uuid = :1` or inserting into a
 * `numeric` column fails there unless the value carries its type. Casting in SQL works the
 * same over `pg` and the Data API, so every non-text value goes through one of these.
 *
 * @example
 * db.selectFrom('projects').where('id', '=', uuid(projectId))
 * db.insertInto('lp_token_movements').values({ amount: numeric(amount), effective_at: timestamptz(at) })
 */
export const uuid = (value: string): RawBuilder<string> => sql<string>`cast(${value} as uuid)`;

export const numeric = (value: Decimal | string): RawBuilder<string> =>
  sql<string>`cast(${value.toString()} as numeric)`;

export const timestamptz = (value: Date): RawBuilder<Date> =>
  sql<Date>`cast(${value.toISOString()} as timestamptz)`;

/** The database's `now()`: the start of the transaction, the same instant for every row it writes. */
export const databaseNow = (): RawBuilder<Date> => sql<Date>`now()`;

/**
 * JSON for a jsonb column, held to the width its column declares (db/table-widths.ts) when given
 * one: the reads of that column are sized from it, so a value beyond it is a bug where it is
 * written, not a refused answer where it is read.
 */
export function jsonb(value: unknown, maxChars?: number): RawBuilder<string> {
  if (maxChars !== undefined) {
    const length = jsonTextLength(value);
    if (length > maxChars) throw new Error(`JSON of ${length} characters is wider than its column's ${maxChars}`);
  }
  return sql<string>`cast(${JSON.stringify(value)} as jsonb)`;
}
