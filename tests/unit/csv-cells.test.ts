import { describe, expect, it } from 'vitest';
import { csvNumber, csvText } from '../../shared/http/csv-cells';

describe('a text cell', () => {
  it.each([
    { start: '=', value: '=1+2', cell: "'=1+2" },
    { start: '+', value: '+1@example.com', cell: "'+1@example.com" },
    { start: '-', value: '-2+3@example.com', cell: "'-2+3@example.com" },
    { start: '@', value: '@SUM(A1)', cell: "'@SUM(A1)" },
    { start: 'tab', value: '\t=1', cell: "'\t=1" },
    { start: 'carriage return', value: '\r=1', cell: `"'\r=1"` },
    { start: 'line feed', value: '\n=1', cell: `"'\n=1"` },
  ])('beginning with $start is prefixed with an apostrophe, as OWASP recommends', ({ value, cell }) => {
    expect(csvText(value)).toBe(cell);
  });

  it.each([
    // OWASP's own examples: a separator or a quote must not let a formula start a new cell.
    { value: '=1+2";=1+2', cell: `"'=1+2"";=1+2"` },
    { value: `=1+2'" ;,=1+2`, cell: `"'=1+2'"" ;,=1+2"` },
    { value: 'a;=1+2', cell: '"a;=1+2"' },
    { value: 'a,b', cell: '"a,b"' },
  ])('holding a separator or a quote is quoted: $value', ({ value, cell }) => {
    expect(csvText(value)).toBe(cell);
  });

  it('is left as it is otherwise', () => {
    expect(csvText('lp@example.com')).toBe('lp@example.com');
  });
});

describe('a number cell', () => {
  it.each(['0.0000000', '250000.5000000', '-12.50', '7'])('stays a number a spreadsheet can add up: %s', (value) => {
    expect(csvNumber(value)).toBe(value);
  });

  it('is a text cell when it is not a plain decimal', () => {
    expect(csvNumber('-1+2')).toBe("'-1+2");
  });
});
