import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { jsonTextLength } from '../../shared/db/result-size';
import { ValidationError } from '../../shared/errors';
import { parseRequest } from '../../shared/http/parse-request';
import { decimalString, freeText, instantString, jsonObject, storableText, textRuleIssue } from '../../shared/http/schemas';
import { navHistoryQuery } from '../../shared/nav/schemas';
import { DISTRIBUTION_AMOUNT, LP_TOKENS, NGNTS } from '../../shared/quantities';

describe('decimalString', () => {
  const amount = decimalString(DISTRIBUTION_AMOUNT);

  it.each(['1', '0.0000001', '12.5', '9999999999999.9999999', '100.1000000'])('accepts %s exactly', (text) => {
    const parsed = amount.parse(text);
    expect(parsed.equals(text)).toBe(true);
  });

  it.each([
    { input: 1.5, why: 'a JSON number' },
    { input: '0', why: 'zero' },
    { input: '-1', why: 'a negative amount' },
    { input: '0.00000001', why: 'more fractional digits than the column holds' },
    { input: '10000000000000', why: 'more than the column holds' },
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
    expect(decimalString(NGNTS, { positive: false }).parse('0').isZero()).toBe(true);
  });

  it.each([
    { quantity: LP_TOKENS, max: '99999999999999999999999.9999999', past: '100000000000000000000000' },
    { quantity: NGNTS, max: '9999999999999999999999999999.99', past: '10000000000000000000000000000' },
  ])('takes $quantity.name up to $max, and names that limit past it', ({ quantity, max, past }) => {
    const schema = decimalString(quantity);
    expect(schema.parse(max).toFixed(quantity.scale)).toBe(max);
    expect(schema.safeParse(past).error?.issues).toEqual([
      expect.objectContaining({ message: `must be at most ${max}, the most ${quantity.name} can be`, params: { limit: max } }),
    ]);
  });

  it('tells a malformed amount from one past its limit', () => {
    const schema = decimalString(LP_TOKENS);
    expect(schema.safeParse('1e30').error?.issues).toEqual([expect.not.objectContaining({ params: expect.anything() })]);
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

describe('freeText', () => {
  const text = freeText({ max: 10 });

  it.each([
    { input: 'Q1 revenue', why: 'plain text' },
    { input: 'a\nb\tc', why: 'newlines and tabs' },
    { input: 'naïve €5 😀', why: 'any other character' },
    { input: '"\\', why: 'quotes and backslashes' },
  ])('accepts $why', ({ input }) => {
    expect(text.parse(input)).toBe(input);
  });

  it.each([
    { input: 'a\u0000', code: 'U+0000', at: 2 },
    { input: '\u0001', code: 'U+0001', at: 1 },
    { input: 'a\rb', code: 'U+000D', at: 2 },
    { input: 'ab\u001b', code: 'U+001B', at: 3 },
    { input: '\u007f', code: 'U+007F', at: 1 },
    { input: 'a\u0085', code: 'U+0085', at: 2 },
    { input: 'a\ud800', code: 'U+D800', at: 2 },
  ])('refuses $code, saying which and where', ({ input, code, at }) => {
    const result = text.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`must not contain control characters other than newline and tab (${code} at character ${at})`);
  });

  it('trims, then counts, unless told not to', () => {
    expect(text.parse('  a  ')).toBe('a');
    expect(text.safeParse(' '.repeat(3)).success).toBe(false);
    expect(freeText({ max: 3, min: 0, trim: false }).parse(' a ')).toBe(' a ');
    expect(text.safeParse('x'.repeat(11)).success).toBe(false);
  });
});

describe('storableText', () => {
  it('replaces what the text rule refuses and cuts what is too long, never inside a pair', () => {
    expect(storableText('a\u0000b\r\nc', 100)).toBe('a\ufffdb\ufffd\nc');
    expect(storableText('abcdef', 4)).toBe('abc…');
    expect(storableText('ab😀cd', 4)).toBe('ab…');
    expect(textRuleIssue(storableText('\u0001'.repeat(50), 10))).toBeUndefined();
  });
});

describe('jsonObject', () => {
  const metadata = jsonObject({ maxChars: 40 });

  it('counts numbers as Postgres writes them out', () => {
    expect(jsonTextLength({ n: 1e21 })).toBe('{"n":1000000000000000000000}'.length);
    expect(jsonTextLength([1e-7, -1.5e-7, 2.5e22, 12.5, -0])).toBe('[0.0000001,-0.00000015,25000000000000000000000,12.5,0]'.length);
    expect(jsonTextLength({ big: 1e308 })).toBe('{"big":}'.length + 309);
    expect(metadata.safeParse({ n: 1e30 }).success).toBe(true);
    expect(metadata.safeParse({ n: 1e40 }).success).toBe(false);
  });

  it('holds keys and strings to the text rule, naming where', () => {
    expect(metadata.safeParse({ memo: 'line\nnext' }).success).toBe(true);
    expect(metadata.safeParse({ a: [{ memo: 'x\u0000' }] }).error?.issues[0]?.path).toEqual(['a', 0, 'memo']);
    expect(metadata.safeParse({ 'k\u0001': 1 }).success).toBe(false);
  });
});

// zod/mini loads no locale by itself: shared/zod.ts sets English, the messages classic zod gave.
describe('the messages a refused request carries', () => {
  it('are zod’s English ones, field by field', () => {
    const event = { queryStringParameters: { limit: '501', cursor: '%', sort: 'name' } } as unknown as APIGatewayProxyEventV2;
    let refusal: unknown;
    try {
      parseRequest({ query: navHistoryQuery }, event);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).errors).toEqual([
      { location: 'query', field: 'limit', message: 'Too big: expected number to be <=500' },
      { location: 'query', field: 'cursor', message: 'must be a cursor this API issued' },
      { location: 'query', field: '', message: 'Unrecognized key: "sort"' },
    ]);
  });
});
