import * as z from '../zod';
import { KeysetRows } from '../db/keyset';
import { ValidationError } from '../errors';
import { escapedBytesOf, responseBudget, withJson } from './json-body';

/**
 * Opaque keyset cursors: the sort key of the last row returned, as base64url JSON.
 * Callers pass them back unchanged; a tampered cursor is a 400, not a 500. A key's shape is a
 * strict object of the schemas requests use (`cursorInstant`, `uuidField`), so a cursor that
 * decodes to anything else, an extra key included, never reaches the database.
 */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodMiniType>(cursor: string | undefined, shape: T, field = 'cursor'): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not one this API issued', [{ location: 'query', field, message: 'invalid cursor' }]);
  }
}

/** What a list's caller asks for: how many items at most, and the cursor of the page before (none: the first page). */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The schema of a page of `item`s, as readPage answers it: a response schema (z.responseSchema). */
export const pageOf = <Item extends z.ZodMiniType>(item: Item) =>
  z.responseSchema(() =>
    z.object({
      items: z.array(item),
      next_cursor: z.described(z.nullable(z.string()), 'Pass it back as `cursor` for the next page; null: the list has ended'),
    }),
  );

/**
 * Lambda returns at most 6,291,556 bytes from a function: the response as JSON, whose body is a
 * string, so the page's JSON is escaped once more. A page's items take at most this much of it,
 * which leaves the rest for the envelope, the cursor and the headers.
 */
export const PAGE_MAX_BYTES = 6_000_000;

/** What an item adds to the function's response: its JSON, escaped again inside the body string, and a comma. */
export const responseBytesOf = (item: unknown): number => escapedBytesOf(JSON.stringify(item));

/**
 * A page of at most `limit` items from rows read in key order (readByKey, which makes the Data
 * API calls as they are needed), and fewer when the next would not fit the function's response
 * (PAGE_MAX_BYTES): a page that stops early, or holds `limit` items, carries the cursor of its
 * last row; the list has ended only when `next_cursor` is null.
 *
 * @example readPage(listWithdrawals(db, filter, { after, limit }), limit, toWithdrawalDto, createdKeyOf)
 */
export async function readPage<Row, Item>(
  rows: AsyncIterable<Row>,
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => Record<string, string>,
): Promise<Page<Item>> {
  const items: Item[] = [];
  // The items' JSON, in runs of comma-joined items: measured as written, then sent as they are.
  const runs: string[] = [];
  const fits = responseBudget(PAGE_MAX_BYTES);
  let last: Row | undefined;
  let more = false;
  reading: for await (const batch of rows instanceof KeysetRows ? rows.batches() : oneByOne(rows)) {
    const taken = batch.length > limit - items.length ? batch.slice(0, limit - items.length) : batch;
    if (taken.length === 0) continue;
    const batchItems = taken.map(toItem);
    // A call's items written at once, as a bare JSON.stringify of the rows would; one by one only
    // when they might not all fit.
    const run = JSON.stringify(batchItems).slice(1, -1);
    if (fits(run)) {
      items.push(...batchItems);
      runs.push(run);
      last = taken.at(-1);
    } else {
      for (const [index, item] of batchItems.entries()) {
        const json = JSON.stringify(item);
        if (!fits(json) && items.length > 0) {
          more = true;
          break reading;
        }
        items.push(item);
        runs.push(json);
        last = taken[index];
      }
    }
    if (items.length === limit) {
      more = true;
      break;
    }
  }
  const nextCursor = more && last !== undefined ? encodeCursor(keyOf(last)) : null;
  // Each item was written as JSON to measure it: the response sends those, not a second serialization.
  return withJson(
    { items: Object.freeze(items) as Item[], next_cursor: nextCursor },
    `{"items":[${runs.join(',')}],"next_cursor":${JSON.stringify(nextCursor)}}`,
  );
}

async function* oneByOne<Row>(rows: AsyncIterable<Row>): AsyncGenerator<readonly Row[], void, undefined> {
  for await (const row of rows) yield [row];
}
