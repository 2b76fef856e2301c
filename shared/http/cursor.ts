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
