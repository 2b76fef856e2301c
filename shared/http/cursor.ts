import { z } from 'zod';
import { ValidationError } from '../errors';

/**
 * Opaque keyset cursors: the sort key of the last row returned, as base64url JSON.
 * Callers pass them back unchanged; a tampered cursor is a 400, not a 500.
 */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not one this API issued', [
      { location: 'query', field: 'cursor', message: 'invalid cursor' },
    ]);
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * A page from rows fetched with `limit`: a full page carries the cursor of its last row, a short
 * one ends the list.
 *
 * @example pageOf(rows, 100, toDto, (row) => ({ created_at: row.created_at.toISOString(), id: row.id }))
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => Record<string, string>,
): Page<Item> {
  const last = rows.at(-1);
  return { items: rows.map(toItem), next_cursor: rows.length === limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
