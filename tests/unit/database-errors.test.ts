import { describe, expect, it } from 'vitest';
import { isPermanentDatabaseError, sqlStateOf } from '../../shared/db/database-errors';

const pgError = (code: string) => Object.assign(new Error('numeric field overflow'), { code, severity: 'ERROR' });
const dataApiError = (state: string) =>
  Object.assign(new Error(`ERROR: numeric field overflow\n  Detail: A field with precision 20, scale 7 must round to an absolute value less than 10^13.; SQLState: ${state}`), {
    name: 'DatabaseErrorException',
  });

describe('database errors', () => {
  it.each([
    ['pg', pgError('22003'), '22003'],
    ['the Data API', dataApiError('23505'), '23505'],
    ['anything else', new Error('socket hang up'), undefined],
    ['a non-error', 'boom', undefined],
  ])('reads the SQLSTATE from %s', (_from, error, state) => {
    expect(sqlStateOf(error)).toBe(state);
  });

  it.each([
    ['numeric overflow', pgError('22003'), true],
    ['a unique violation through the Data API', dataApiError('23505'), true],
    ['an undefined column', pgError('42703'), true],
    ['a bare RAISE EXCEPTION', dataApiError('P0001'), false],
    ['a serialization failure', pgError('40001'), false],
    ['a deadlock', dataApiError('40P01'), false],
    ['a terminated connection', pgError('57P01'), false],
    ['a network error', new Error('ECONNRESET'), false],
  ])('treats %s as permanent: %s', (_what, error, permanent) => {
    expect(isPermanentDatabaseError(error)).toBe(permanent);
  });
});
