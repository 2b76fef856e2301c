/**
 * Cells of a CSV file meant to be opened in a spreadsheet, which runs a cell beginning with a
 * formula character. OWASP (CSV Injection) lists `=`, `+`, `-`, `@`, tab, carriage return and
 * line feed, and warns that a separator or quote in a value can start a new cell.
 *
 * Hand-written rather than csv-stringify's `escape_formulas`: that option leaves out the line
 * feed and would turn a negative amount into text, as it cannot tell a number from a string.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;
/** `;` too: spreadsheets in locales whose decimal mark is a comma separate cells with it. */
const NEEDS_QUOTES = /[",;\r\n]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A text cell: prefixed with an apostrophe when a spreadsheet would read it as a formula, then
 * quoted (RFC 4180) when it holds a separator, a quote or a line break.
 *
 * @example csvText('-2+3@example.com') // "'-2+3@example.com"
 */
export function csvText(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A number cell: a plain decimal is written as it is, so a spreadsheet reads a number (a minus
 * sign followed by digits is a negative number, not a formula); anything else is a text cell.
 *
 * @example csvNumber('-12.50') // '-12.50'
 */
export function csvNumber(value: string): string {
  return PLAIN_DECIMAL.test(value) ? value : csvText(value);
}
