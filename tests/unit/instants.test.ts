import { describe, expect, it } from 'vitest';
import { cursorInstant, EARLIEST_INSTANT, instantString, LATEST_INSTANT } from '../../shared/http/instants';

describe('instantString', () => {
  it.each([
    { text: '2026-01-31T12:00:00+01:00', utc: '2026-01-31T11:00:00.000Z' },
    { text: '2026-01-31T12:00:00-00:00', utc: '2026-01-31T12:00:00.000Z' },
    { text: '2026-01-31T12:00:00.123456789Z', utc: '2026-01-31T12:00:00.123Z' },
    { text: '0100-01-01T00:00:00Z', utc: '0100-01-01T00:00:00.000Z' },
    { text: '0100-01-01T01:00:00+01:00', utc: '0100-01-01T00:00:00.000Z' },
    { text: '9999-12-31T23:59:59.999999Z', utc: '9999-12-31T23:59:59.999Z' },
    { text: '9999-12-31T22:59:59-01:00', utc: '9999-12-31T23:59:59.000Z' },
  ])('reads $text as $utc', ({ text, utc }) => {
    expect(instantString.parse(text).toISOString()).toBe(utc);
  });

  it.each([
    { text: '2026-01-31', why: 'a date' },
    { text: '2026-01-31T12:00:00', why: 'no time zone' },
    { text: 'yesterday', why: 'not an instant' },
    { text: '2026-13-01T00:00:00Z', why: 'month 13' },
    { text: '2026-02-29T00:00:00Z', why: 'a day 2026 does not have' },
    { text: '0000-01-01T00:00:00Z', why: 'year 0000, which Postgres does not have' },
    { text: '0099-12-31T23:59:59.999999Z', why: 'the last instant before the range' },
    { text: '0100-01-01T00:59:59+01:00', why: 'year 0100 as written, 0099 in UTC' },
    { text: '9999-12-31T23:00:00-01:00', why: 'year 9999 as written, 10000 in UTC' },
    { text: '+010000-01-01T00:00:00Z', why: 'an expanded year' },
    { text: `2026-01-31T12:00:00.${'1'.repeat(16)}Z`, why: 'longer than nanoseconds with an offset' },
  ])('refuses $why', ({ text }) => {
    expect(instantString.safeParse(text).success).toBe(false);
  });

  it('says what is wrong once: a malformed instant is not also out of range', () => {
    expect(instantString.safeParse('yesterday').error?.issues).toHaveLength(1);
  });

  it('states the range in its message', () => {
    expect(instantString.safeParse('0000-01-01T00:00:00Z').error?.issues[0]?.message).toBe(
      `must be from ${EARLIEST_INSTANT} to ${LATEST_INSTANT} in UTC`,
    );
  });

  // Why the range starts at 0100: the Data API client reads timestamps with `new Date('… Z')`.
  it('starts where a timestamp as the Data API writes it is read back as itself', () => {
    expect(new Date('0100-01-01 00:00:00Z').toISOString()).toBe('0100-01-01T00:00:00.000Z');
    expect(new Date('0099-12-31 00:00:00Z').toISOString()).not.toMatch(/^0099/);
  });
});

describe('cursorInstant', () => {
  it.each([EARLIEST_INSTANT, LATEST_INSTANT, '2026-01-31T12:00:00.123456Z'])('keeps %s as it is', (text) => {
    expect(cursorInstant.parse(text)).toBe(text);
  });

  it.each([
    '0099-12-31T23:59:59.999999Z',
    '0000-01-01T00:00:00.000000Z',
    '2026-01-31T12:00:00.123Z',
    '2026-01-31T12:00:00.123456+01:00',
    '2026-01-31T12:00:00Z',
  ])('refuses %s, which instantKey never writes', (text) => {
    expect(cursorInstant.safeParse(text).success).toBe(false);
  });
});
