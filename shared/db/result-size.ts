import type { Quantity } from '../quantities';
import { DATA_API_LIMITS } from './data-api-limits';

/**
 * Upper bounds on the size of the RDS Data API's answer to a statement, from the shape of its
 * result. Every statement that answers rows declares its columns and the widest value each can
 * hold (a `ReadBound`), and asks for no more rows a call than fit, so no answer can exceed the
 * limits whatever the data: the allocation calculation sizes its statements this way
 * (distributions/calculation/calculation-limits.ts), and so do the repositories' reads.
 *
 * The measure is the emulator's (local/data-api), stricter than the service's: the JSON of the
 * whole ExecuteStatement answer, `{"records":[[{"stringValue":"…"},{"isNull":true}],…],
 * "columnMetadata":[…],"numberOfRecordsUpdated":0}` (kysely-data-api always asks for the column
 * metadata), in UTF-8 bytes; a row is measured as the JSON of its record.
 */

/**
 * The most bytes one character of stored free text (a UTF-16 unit, what `string.length` and zod's
 * `max` count) costs in an answer, where the value is a JSON string measured in UTF-8:
 * - 1: ASCII that JSON leaves as it is;
 * - 2: `"` and `\` (escaped), newline and tab (`\n`, `\t`);
 * - 3: any other character of the Basic Multilingual Plane (UTF-8 takes 3 bytes; a character
 *   outside it is a pair of units and 4 bytes, 2 a unit);
 * - 6: any other control character (`\u0001`). The API refuses them (`freeText` in
 *   http/schemas.ts) and text the platform writes itself is cleaned (`storableText`), so no stored
 *   text has one, and 3 is the worst.
 *
 * JSON kept in `jsonb` costs at most as much per character of its JSON text (measured by
 * `jsonTextLength`): Postgres writes it back with a space after every `:` and `,` (2), a
 * string's quotes are escaped once more (2), an escape such as `\"` or `\n` becomes `\\\"` or
 * `\\n` (4 or 3 bytes for 2 characters), `\u0001` becomes `\\u0001` (7 for 6), and text as above.
 */
export const MAX_BYTES_PER_CHAR = 3;

/** What one column of an answer can hold. */
export interface ColumnWidth {
  /** The most characters of the value as text (of its digits, for an integer). */
  maxChars: number;
  /** The most bytes one of them costs in the answer: 1 (the default) for ASCII that JSON needs no escape for. */
  bytesPerChar?: number;
  /** How the Data API sends the value: `stringValue` (the default), `longValue` or `booleanValue`. */
  field?: 'string' | 'long' | 'boolean';
  /** The type name the answer's column metadata gives: 'text' by default. */
  typeName?: string;
}

export interface ResultColumn extends ColumnWidth {
  name: string;
}

/** How wide the values of each column type can be. */
export const width = {
  uuid: { maxChars: 36, typeName: 'uuid' },
  /** As the Data API writes it: `2026-01-31 12:00:00.123456` (the emulator drops the `+00` of UTC; counted anyway). */
  timestamptz: { maxChars: 29, typeName: 'timestamptz' },
  int4: { maxChars: '-2147483648'.length, field: 'long', typeName: 'int4' },
  int8: { maxChars: '-9223372036854775808'.length, field: 'long', typeName: 'int8' },
  bool: { maxChars: 0, field: 'boolean', typeName: 'bool' },
  /** numeric(precision, scale) as text: a sign, the digits and the point. */
  numeric: (precision: number, scale: number): ColumnWidth => ({ maxChars: precision + (scale > 0 ? 2 : 1), typeName: 'numeric' }),
  /** A value of one of the platform's quantities (quantities.ts), stored in or cast to its type. */
  quantity: ({ precision, scale }: Quantity): ColumnWidth => width.numeric(precision, scale),
  /** Text the application makes of ASCII that JSON needs no escape for: a code, a status, a hash, an instant. */
  ascii: (maxChars: number, typeName = 'varchar'): ColumnWidth => ({ maxChars, typeName }),
  /** Free text of at most `maxChars` characters, kept to the text rule (see MAX_BYTES_PER_CHAR). */
  text: (maxChars: number, typeName = 'text'): ColumnWidth => ({ maxChars, bytesPerChar: MAX_BYTES_PER_CHAR, typeName }),
  /** JSON of at most `maxChars` characters as `jsonTextLength` counts them. */
  jsonb: (maxChars: number): ColumnWidth => ({ maxChars, bytesPerChar: MAX_BYTES_PER_CHAR, typeName: 'jsonb' }),
  /** JSON the application makes of ASCII alone (digits, ids, codes): 2 bytes a character at most (`"` and the space after `:` and `,`). */
  asciiJsonb: (maxChars: number): ColumnWidth => ({ maxChars, bytesPerChar: 2, typeName: 'jsonb' }),
} as const;

/** `{"stringValue":""}`: the characters around a text value. */
const STRING_FIELD_OVERHEAD = '{"stringValue":""}'.length;
/** `{"longValue":}`. */
const LONG_FIELD_OVERHEAD = '{"longValue":}'.length;
const BOOLEAN_FIELD = '{"booleanValue":false}'.length;
/** `{"isNull":true}`. */
const NULL_FIELD = '{"isNull":true}'.length;
/** JDBC type codes are at most five characters ("-2003" would be the longest). */
const TYPE_CODE_CHARS = 5;

/** The most bytes one value of the column takes, null or not. */
function fieldBytes(column: ColumnWidth): number {
  switch (column.field ?? 'string') {
    case 'long':
      return Math.max(NULL_FIELD, LONG_FIELD_OVERHEAD + column.maxChars);
    case 'boolean':
      return Math.max(NULL_FIELD, BOOLEAN_FIELD);
    case 'string':
      return Math.max(NULL_FIELD, STRING_FIELD_OVERHEAD + column.maxChars * (column.bytesPerChar ?? 1));
  }
}

/** The most bytes a row takes in `records`: its fields, their commas, its brackets and the comma after it. */
export function rowBytes(columns: readonly ResultColumn[]): number {
  const fields = columns.reduce((sum, column) => sum + fieldBytes(column), 0);
  return fields + (columns.length - 1) + '[]'.length + ','.length;
}

/** Everything but the records: the envelope, the column metadata and the count of rows updated. */
export function envelopeBytes(columns: readonly ResultColumn[], maxRows: number): number {
  const metadata = columns.map((column) => ({ name: column.name, label: column.name, typeName: column.typeName ?? 'text', type: 0 }));
  const skeleton = JSON.stringify({ records: [], columnMetadata: metadata, numberOfRecordsUpdated: 0 });
  return skeleton.length + columns.length * (TYPE_CODE_CHARS - 1) + String(maxRows).length;
}

/** The most bytes an answer of up to `rows` rows of these columns can take. */
export const resultBytes = (columns: readonly ResultColumn[], rows: number): number =>
  envelopeBytes(columns, rows) + rows * rowBytes(columns);

/**
 * How many rows of these columns fit in one answer under the Data API's response limit.
 * Throws when one row could exceed the row limit: such a read cannot be made safe by asking
 * for fewer rows, only by selecting less or bounding what is written.
 *
 * @example
 * rowsPerResult([{ name: 'holder_id', maxChars: 36 }, { name: 'balance', maxChars: 31 }]) // 9,7xx
 */
export function rowsPerResult(columns: readonly ResultColumn[], limitBytes: number = DATA_API_LIMITS.maxResponseBytes): number {
  const perRow = rowBytes(columns);
  if (perRow > DATA_API_LIMITS.maxRowBytes) throw new Error(`a row of ${perRow} bytes exceeds the Data API's row limit`);
  // The envelope grows by a digit at most per factor of ten rows; bound it by the largest count possible.
  return Math.floor((limitBytes - envelopeBytes(columns, limitBytes)) / perRow);
}

/** Characters in the decimal text of a non-negative integer up to `max`. */
export const digitsOf = (max: bigint | number): number => max.toString().length;

/** The columns of a read, from the widths of what it selects, by name. */
export const columnsOf = (widths: Readonly<Record<string, ColumnWidth>>): ResultColumn[] =>
  Object.entries(widths).map(([name, columnWidth]) => ({ name, ...columnWidth }));

/**
 * What one read answers at most: its columns, and the rows it asks for in one call. Every
 * repository function that returns rows declares one (its module's `readBounds`), and
 * tests/unit/read-bounds.test.ts holds each within the Data API's limits.
 */
export interface ReadBound {
  columns: readonly ResultColumn[];
  rowsPerCall: number;
}

/**
 * The bound of a read selecting these columns: `rowsPerCall` rows a call (a read of one row, a
 * fixed batch), or by default as many as fit one answer, which a paged read then asks for at most.
 *
 * @example
 * const withdrawalPage = readBound({ ...tableWidths.withdrawal_requests, created_at_key: keyWidth });
 * // listWithdrawals reads a page in calls of withdrawalPage.rowsPerCall rows
 */
export function readBound(widths: Readonly<Record<string, ColumnWidth>>, rowsPerCall?: number): ReadBound {
  const columns = columnsOf(widths);
  return { columns, rowsPerCall: rowsPerCall ?? rowsPerResult(columns) };
}

/** A statement that answers no rows (a write without RETURNING). */
export const NO_ROWS: ReadBound = { columns: [], rowsPerCall: 0 };

/**
 * The length of a value's JSON text as Postgres keeps it in jsonb, which MAX_BYTES_PER_CHAR
 * bounds the cost of: JSON.stringify's, but with numbers as numeric writes them, in full
 * (`1e+308` is 309 digits, `1e-7` is `0.0000001`).
 *
 * @example jsonTextLength({ n: 1e21 }) // 28: {"n":1000000000000000000000}
 */
export function jsonTextLength(value: unknown): number {
  let extra = 0;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && Number.isFinite(item)) extra += plainNumberLength(item) - JSON.stringify(item).length;
    return item;
  });
  return (text?.length ?? 0) + extra;
}

/** Characters of a JS number as numeric writes it: JSON's digits, its exponent spelled out. */
function plainNumberLength(value: number): number {
  const json = JSON.stringify(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(json);
  if (match === null) return json.length;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return sign.length + '0.'.length - point + digits.length;
  return sign.length + Math.max(point, digits.length) + (digits.length > point ? 1 : 0);
}
