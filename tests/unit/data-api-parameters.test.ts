import { describe, expect, it } from 'vitest';
import { DataApiError } from '../../local/data-api/errors';
import { toPositional } from '../../local/data-api/parameters';
import type { SqlParameter } from '../../local/data-api/requests';

const text = (value: string): SqlParameter => ({ name: 'p', value: { stringValue: value } });

describe("the Data API emulator's named parameters", () => {
  it.each([
    { sql: 'SELECT :p', expected: 'SELECT $1::varchar' },
    { sql: 'SELECT :p, :p', expected: 'SELECT $1::varchar, $1::varchar' },
    { sql: 'SELECT :p::uuid', expected: 'SELECT $1::varchar::uuid' },
    { sql: "SELECT ':p', :p", expected: "SELECT ':p', $1::varchar" },
    { sql: "SELECT 'it''s :p', :p", expected: "SELECT 'it''s :p', $1::varchar" },
    { sql: "SELECT E'\\' :p', :p", expected: "SELECT E'\\' :p', $1::varchar" },
    { sql: 'SELECT ":p" FROM t WHERE a = :p', expected: 'SELECT ":p" FROM t WHERE a = $1::varchar' },
    { sql: 'SELECT 1 -- :p\n, :p', expected: 'SELECT 1 -- :p\n, $1::varchar' },
    { sql: 'SELECT /* /* :p */ :p */ :p', expected: 'SELECT /* /* :p */ :p */ $1::varchar' },
    { sql: 'DO $body$ BEGIN x := :p; END $body$', expected: 'DO $body$ BEGIN x := :p; END $body$' },
    { sql: 'SELECT now()::date', expected: 'SELECT now()::date' },
  ])('$sql → $expected', ({ sql, expected }) => {
    expect(toPositional(sql, [text('v')]).text).toBe(expected);
  });

  it('numbers parameters in order of first use, with their values', () => {
    const statement = toPositional('SELECT :b, :a, :b', [
      { name: 'a', value: { longValue: 1 } },
      { name: 'b', value: { booleanValue: true } },
    ]);
    expect(statement).toEqual({ text: 'SELECT $1::boolean, $2::bigint, $1::boolean', values: [true, '1'] });
  });

  it.each([
    { case: 'an array value', parameters: [{ name: 'p', value: { arrayValue: { stringValues: ['a'] } } }] },
    { case: 'no value member', parameters: [{ name: 'p', value: {} }] },
    { case: 'two value members', parameters: [{ name: 'p', value: { stringValue: 'a', longValue: 1 } }] },
    { case: 'no parameter of that name', parameters: [] },
  ])('refuses $case as a bad request', ({ parameters }) => {
    expect(() => toPositional('SELECT :p', parameters as SqlParameter[])).toThrow(DataApiError);
  });
});
