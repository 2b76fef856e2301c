import { DATA_API_LIMITS } from '../db/data-api-limits';

/**
 * Upper bounds on the size of the RDS Data API's answer to a statement, from the shape of its
 * result: the calculation sizes every statement from these, so no answer can exceed the limits
 * whatever the data.
 *
 * The measure is the emulator's (local/data-api), stricter than the service's: the JSON of the
 * whole ExecuteStatement answer, `{"records":[[{"stringValue":"…"},{"isNull":true}],…],
 * "columnMetadata":[…],"numberOfRecordsUpdated":0}` (kysely-data-api always asks for the column
 * metadata). Every column the calculation reads is cast to text, so each value is a stringValue;
 * the bound counts characters as bytes, which holds because the values are ASCII that JSON
 * needs no escape for (digits, '.', '-', hex, lower-case words).
 */

export interface TextColumn {
  name: string;
  /** The most characters the column's text can have (a uuid: 36; numeric(30, 7): 31 when positive). */
  maxChars: number;
}

/** `{"stringValue":""}`: the characters around a text value. */
const STRING_FIELD_OVERHEAD = '{"stringValue":""}'.length;
/** `{"isNull":true}`. */
const NULL_FIELD = '{"isNull":true}'.length;
/** JDBC type codes are at most five characters ("-2003" would be the longest). */
const TYPE_CODE_CHARS = 5;

/** The most bytes one value of the column takes, null or not. */
const fieldBytes = (column: TextColumn) => Math.max(NULL_FIELD, STRING_FIELD_OVERHEAD + column.maxChars);

/** The most bytes a row takes in `records`: its fields, their commas, its brackets and the comma after it. */
export function rowBytes(columns: readonly TextColumn[]): number {
  const fields = columns.reduce((sum, column) => sum + fieldBytes(column), 0);
  return fields + (columns.length - 1) + '[]'.length + ','.length;
}

/** Everything but the records: the envelope, the column metadata and the count of rows updated. */
export function envelopeBytes(columns: readonly TextColumn[], maxRows: number): number {
  const metadata = columns.map((column) => ({ name: column.name, label: column.name, typeName: 'text', type: 0 }));
  const skeleton = JSON.stringify({ records: [], columnMetadata: metadata, numberOfRecordsUpdated: 0 });
  return skeleton.length + columns.length * (TYPE_CODE_CHARS - 1) + String(maxRows).length;
}

/** The most bytes an answer of up to `rows` rows of these columns can take. */
export const resultBytes = (columns: readonly TextColumn[], rows: number): number =>
  envelopeBytes(columns, rows) + rows * rowBytes(columns);

/**
 * How many rows of these columns fit in one answer under the Data API's response limit.
 *
 * @example
 * rowsPerResult([{ name: 'holder_id', maxChars: 36 }, { name: 'balance', maxChars: 31 }]) // 9,7xx
 */
export function rowsPerResult(columns: readonly TextColumn[], limitBytes: number = DATA_API_LIMITS.maxResponseBytes): number {
  const perRow = rowBytes(columns);
  if (perRow > DATA_API_LIMITS.maxRowBytes) throw new Error(`a row of ${perRow} bytes exceeds the Data API's row limit`);
  // The envelope grows by a digit at most per factor of ten rows; bound it by the largest count possible.
  return Math.floor((limitBytes - envelopeBytes(columns, limitBytes)) / perRow);
}

/** Characters in the decimal text of a non-negative integer up to `max`. */
export const digitsOf = (max: bigint | number): number => max.toString().length;
