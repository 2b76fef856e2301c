import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';

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
