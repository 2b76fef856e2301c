import { type RawBuilder, sql } from 'kysely';
import * as z from '../zod';
import { cursorInstant } from '../http/instants';
import { uuidField } from '../http/schemas';
import { type ColumnWidth, width } from './result-size';
import { uuid } from './sql-values';

/**
 * Keyset paging on timestamptz columns, exact to the microsecond.
 *
 * Postgres keeps microseconds, a JS `Date` only milliseconds: a cursor made from a `Date` sorts
 * below the row it came from, and the next page skips the rows written in the rest of that
 * millisecond (concurrent writes often share one). So a list selects its sort instants as text
 * with `instantKey` and puts that text, unchanged, in its cursor; `keyInstant` casts it back in SQL.
 *
 * @example
 * db.selectFrom('project_cashflows').selectAll().select(instantKey('created_at').as('created_at_key'))
 *   .where(afterKey(['created_at', 'id'], [keyInstant(cursor.created_at), uuid(cursor.id)]))
 *   .orderBy('created_at', 'desc').orderBy('id', 'desc')
 */
export const instantKey = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An instant key (from `instantKey`, carried in a cursor) as a timestamptz parameter. */
export const keyInstant = (key: string): RawBuilder<Date> => sql<Date>`cast(${key} as timestamptz)`;

/** `(c1, c2, …) < (v1, v2, …)`: the rows after a cursor's, in an order descending on every column. */
export function afterKey(columns: readonly string[], values: readonly RawBuilder<unknown>[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(columns.map((column) => sql.ref(column)))}) < (${sql.join(values)})`;
}

/**
 * `(c1, c2, …) > (v1, v2, …)`: the rows after a cursor's, in an order ascending on every column.
 * Any type with a btree order fits, xid8 too; cast each value to its column's type.
 *
 * @example afterKeyAscending(['xact_id', 'seq'], [sql`cast(${key.xact_id} as xid8)`, sql`cast(${key.seq} as bigint)`])
 */
export function afterKeyAscending(columns: readonly string[], values: readonly RawBuilder<unknown>[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(columns.map((column) => sql.ref(column)))}) > (${sql.join(values)})`;
}

/** The most common key: creation instant, newest first, the id breaking ties. */
export const createdKey = z.strictObject({ created_at: cursorInstant, id: uuidField });
export type CreatedKey = z.output<typeof createdKey>;

/** Rows after a `createdKey` cursor, for a list ordered by `created_at desc, id desc`. */
export const afterCreated = (key: CreatedKey): RawBuilder<boolean> =>
  afterKey(['created_at', 'id'], [keyInstant(key.created_at), uuid(key.id)]);

/** The cursor key of a row selected with `instantKey('created_at').as('created_at_key')`. */
export const createdKeyOf = (row: { created_at_key: string; id: string }): CreatedKey => ({
  created_at: row.created_at_key,
  id: row.id,
});

/** The width of an instant key (`instantKey`): `2026-01-31T12:00:00.123456Z`. */
export const instantKeyWidth: ColumnWidth = width.ascii('2026-01-31T12:00:00.123456Z'.length, 'text');

/**
 * Rows read in key order, call by call (readByKey). Iterated, it gives the rows; `batches()` gives
 * each call's rows at once, which readPage takes: an async iteration costs a few promises per
 * step, and a request pays each of them (its async context follows every promise).
 */
export class KeysetRows<Row> implements AsyncIterable<Row> {
  constructor(private readonly calls: () => AsyncGenerator<readonly Row[], void, undefined>) {}

  /** Each call's rows, as the call answers. */
  batches(): AsyncGenerator<readonly Row[], void, undefined> {
    return this.calls();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Row, void, undefined> {
    for await (const rows of this.calls()) yield* rows;
  }
}

/**
 * Reads up to `limit` rows in key order after `after`, in as many calls as the read's bound
 * requires: each call asks for at most `rowsPerCall` rows (ReadBound.rowsPerCall, what fits one
 * Data API answer) and continues after the last row of the one before. Rows come as each call
 * answers, so a reader that stops early (a page that is full) makes no more calls.
 *
 * @example
 * readByKey(page, withdrawalPage.rowsPerCall, createdKeyOf, (after, limit) =>
 *   db.selectFrom('withdrawal_requests')…where(after === undefined ? sql`true` : afterCreated(after)).limit(limit).execute())
 */
export function readByKey<Row, Key>(
  page: { after?: Key; limit: number },
  rowsPerCall: number,
  keyOf: (row: Row) => Key,
  read: (after: Key | undefined, limit: number) => Promise<Row[]>,
): KeysetRows<Row> {
  return new KeysetRows(async function* calls() {
    let after = page.after;
    let remaining = page.limit;
    while (remaining > 0) {
      const size = Math.min(remaining, rowsPerCall);
      const rows = await read(after, size);
      yield rows;
      const last = rows.at(-1);
      if (rows.length < size || last === undefined) return;
      remaining -= rows.length;
      after = keyOf(last);
    }
  });
}
