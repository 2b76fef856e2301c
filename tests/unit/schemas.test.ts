import { describe, expect, it } from 'vitest';
import { decimalString, instantString } from '../../shared/http/schemas';

describe('decimalString', () => {
  const amount = decimalString({ precision: 20, scale: 7 });

  it.each(['1', '0.0000001', '12.5', '9999999999999.9999999', '100.1000000'])('accepts %s exactly', (text) => {
    const parsed = amount.parse(text);
    expect(parsed.equals(text)).toBe(true);
  });

  it.each([
    { input: 1.5, why: 'a JSON number' },
    { input: '0', why: 'zero' },
    { input: '-1', why: 'a negative amount' },
    { input: '0.00000001', why: 'more fractional digits than the column holds' },
    { input: '10000000000000', why: 'more integer digits than the column holds' },
    { input: '1e5', why: 'exponent notation' },
    { input: ' 1', why: 'surrounding space' },
    { input: '01', why: 'a leading zero' },
    { input: '1.', why: 'a trailing point' },
    { input: 'NaN', why: 'not a number' },
    { input: '1'.repeat(10_000), why: 'a huge string' },
  ])('refuses $why', ({ input }) => {
    expect(amount.safeParse(input).success).toBe(false);
  });

  it('accepts zero when asked to', () => {
    expect(decimalString({ precision: 30, scale: 2, positive: false }).parse('0').isZero()).toBe(true);
  });
});

describe('instantString', () => {
  it('reads an instant with an offset', () => {
    expect(instantString.parse('2026-01-31T12:00:00+01:00').toISOString()).toBe('2026-01-31T11:00:00.000Z');
  });

  it.each(['2026-01-31', '2026-01-31T12:00:00', 'yesterday', '2026-13-01T00:00:00Z'])('refuses %s', (text) => {
    expect(instantString.safeParse(text).success).toBe(false);
  });
});
