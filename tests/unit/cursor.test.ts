import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import { ValidationError } from '../../shared/errors';
import { createdKey, readByKey } from '../../shared/db/keyset';
import { decodeCursor, encodeCursor, PAGE_MAX_BYTES, readPage, responseBytesOf } from '../../shared/http/cursor';

const shape = z.object({ holder_id: z.uuid() });
const key = { holder_id: '5f0c8a52-3c1e-4a4e-9a55-0e9a3f1f2b11' };

describe('cursors', () => {
  it('round-trip the key of the last row', () => {
    expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
  });

  it('read an absent cursor as the first page', () => {
    expect(decodeCursor(undefined, shape)).toBeUndefined();
  });

  it.each(['garbage', encodeCursor({ holder_id: 'x' }), Buffer.from('{"a":').toString('base64url')])(
    'refuse a cursor the API did not issue (%s) with a 400',
    (cursor) => {
      expect(() => decodeCursor(cursor, shape)).toThrow(ValidationError);
    },
  );
});

describe('a creation cursor', () => {
  const id = '5f0c8a52-3c1e-4a4e-9a55-0e9a3f1f2b11';

  it('round-trips the key instantKey writes', () => {
    const issued = { created_at: '2026-01-31T12:00:00.123456Z', id };
    expect(decodeCursor(encodeCursor(issued), createdKey)).toEqual(issued);
  });

  it.each([
    { key: { created_at: '0000-01-01T00:00:00.000000Z', id }, why: 'an instant Postgres cannot read' },
    { key: { created_at: '2026-01-31T12:00:00.123Z', id }, why: 'an instant instantKey does not write' },
    { key: { created_at: '2026-01-31T12:00:00.123456Z', id, holder_id: id }, why: 'a key it does not hold' },
    { key: { created_at: '2026-01-31T12:00:00.123456Z', id: 'x' }, why: 'an id not a UUID' },
  ])('refuses $why with a 400', ({ key: forged }) => {
    expect(() => decodeCursor(encodeCursor(forged as Record<string, string>), createdKey)).toThrow(ValidationError);
  });
});

describe('a page read in calls', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ id: String(i).padStart(2, '0') }));
  const keyOf = (row: { id: string }) => ({ id: row.id });

  /** The rows after a key, as a read would answer them, recording each call's size. */
  function source(calls: number[]) {
    return (after: { id: string } | undefined, limit: number) => {
      calls.push(limit);
      return Promise.resolve(rows.filter((row) => after === undefined || row.id > after.id).slice(0, limit));
    };
  }

  it('asks for no more rows a call than the bound allows, each call after the last row of the one before', async () => {
    const calls: number[] = [];

    const page = await readPage(readByKey({ limit: 7 }, 3, keyOf, source(calls)), 7, (row) => row.id, keyOf);

    expect(calls).toEqual([3, 3, 1]);
    expect(page.items).toEqual(['00', '01', '02', '03', '04', '05', '06']);
    expect(decodeCursor(page.next_cursor ?? undefined, z.object({ id: z.string() }))).toEqual({ id: '06' });
  });

  it('ends the list on a short call', async () => {
    const calls: number[] = [];

    const page = await readPage(readByKey({ after: { id: '05' }, limit: 500 }, 3, keyOf, source(calls)), 500, (row) => row.id, keyOf);

    expect(calls).toEqual([3, 3]);
    expect(page).toEqual({ items: ['06', '07', '08', '09'], next_cursor: null });
  });

  it('stops at what one response holds, with a cursor, and makes no call it does not need', async () => {
    const calls: number[] = [];
    const big = 'x'.repeat(Math.ceil(PAGE_MAX_BYTES / 2.5));

    const page = await readPage(readByKey({ limit: 10 }, 1, keyOf, source(calls)), 10, (row) => ({ id: row.id, big }), keyOf);

    expect(page.items.map((item) => item.id)).toEqual(['00', '01']);
    expect(page.items.reduce((sum, item) => sum + responseBytesOf(item), 0)).toBeLessThanOrEqual(PAGE_MAX_BYTES);
    expect(decodeCursor(page.next_cursor ?? undefined, z.object({ id: z.string() }))).toEqual({ id: '01' });
    expect(calls).toEqual([1, 1, 1]);
  });
});
