import pg, { type FieldDef } from 'pg';
import { DataApiError } from './errors';
import type { Field, ResultSetOptions } from './requests';

/** What the emulator needs to know about a Postgres type, from pg_type. */
export interface PostgresType {
  name: string;
  /** pg_type.typcategory: 'A' for arrays. */
  category: string;
  /** For an array, its element type's name. */
  elementName: string | null;
}

export interface ColumnMetadata {
  name: string;
  label: string;
  typeName: string;
  /** java.sql.Types code, as the Data API's JDBC driver reports it. */
  type: number;
}

export interface ExecuteResult {
  records?: Field[][];
  columnMetadata?: ColumnMetadata[];
  numberOfRecordsUpdated: number;
  generatedFields?: Field[];
}

const JDBC_TYPES: Record<string, number> = {
  bool: -7,
  int2: 5,
  int4: 4,
  int8: -5,
  numeric: 2,
  float4: 7,
  float8: 8,
  bpchar: 1,
  char: 1,
  varchar: 12,
  text: 12,
  name: 12,
  date: 91,
  time: 92,
  timestamp: 93,
  timestamptz: 93,
  bytea: -2,
};
const JDBC_OTHER = 1111;
const JDBC_ARRAY = 2003;

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT_TYPES = new Set(['float4', 'float8']);
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** pg's parser for text[] (OID 1009) splits any one-dimensional array's text form. */
const TEXT_ARRAY_OID = 1009 as Parameters<typeof pg.types.getTypeParser>[0];
const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY_OID) as (text: string) => unknown[];

function scalarField(text: string, typeName: string, options: ResultSetOptions): Field {
  if (INTEGER_TYPES.has(typeName)) return options.longReturnType === 'STRING' ? { stringValue: text } : { longValue: Number(text) };
  if (FLOAT_TYPES.has(typeName)) return { doubleValue: Number(text) };
  if (typeName === 'bool') return { booleanValue: text === 't' };
  if (typeName === 'numeric' && options.decimalReturnType === 'DOUBLE_OR_LONG') {
    return /^-?\d+$/.test(text) ? { longValue: Number(text) } : { doubleValue: Number(text) };
  }
  // The Data API renders timestamptz without a zone; sessions run in UTC, so drop the "+00".
  if (typeName === 'timestamptz') return { stringValue: text.replace(/\+00$/, '') };
  if (typeName === 'bytea') return { blobValue: Buffer.from(text.slice(2), 'hex').toString('base64') };
  return { stringValue: text };
}

function arrayField(text: string, elementName: string): Field {
  const elements = parseTextArray(text);
  if (elements.some((element) => Array.isArray(element))) {
    throw new DataApiError('UnsupportedResultException', 'The result contains a multidimensional array, which is not supported.');
  }
  const strings = elements as (string | null)[];
  if (INTEGER_TYPES.has(elementName)) return { arrayValue: { longValues: strings.map(Number) } };
  if (FLOAT_TYPES.has(elementName)) return { arrayValue: { doubleValues: strings.map(Number) } };
  if (elementName === 'bool') return { arrayValue: { booleanValues: strings.map((s) => s === 't') } };
  return { arrayValue: { stringValues: strings } };
}

function toField(value: unknown, type: PostgresType, options: ResultSetOptions): Field {
  if (value === null) return { isNull: true };
  const text = String(value);
  return type.category === 'A' && type.elementName !== null
    ? arrayField(text, type.elementName)
    : scalarField(text, type.name, options);
}

const metadataOf = (field: FieldDef, type: PostgresType): ColumnMetadata => ({
  name: field.name,
  label: field.name,
  typeName: type.name,
  type: type.category === 'A' ? JDBC_ARRAY : (JDBC_TYPES[type.name] ?? JDBC_OTHER),
});

/**
 * Shapes a Postgres result (rows as arrays of text) the way ExecuteStatement answers: a result
 * set gives `records` (and `columnMetadata` when asked for); a statement without one gives
 * `generatedFields`. `numberOfRecordsUpdated` counts rows written, never rows read.
 */
export function toExecuteResult(
  result: pg.QueryResult<unknown[]>,
  types: ReadonlyMap<number, PostgresType>,
  { includeResultMetadata = false, options = {} }: { includeResultMetadata?: boolean; options?: ResultSetOptions },
): ExecuteResult {
  const numberOfRecordsUpdated = COUNTED_COMMANDS.has(result.command) ? (result.rowCount ?? 0) : 0;
  if (result.fields.length === 0) return { numberOfRecordsUpdated, generatedFields: [] };
  const columns = result.fields.map((field) => {
    const type = types.get(field.dataTypeID);
    if (type === undefined) throw new Error(`type ${field.dataTypeID} of column ${field.name} was not looked up`);
    return { field, type };
  });
  return {
    records: result.rows.map((row) => columns.map(({ type }, i) => toField(row[i], type, options))),
    ...(includeResultMetadata ? { columnMetadata: columns.map(({ field, type }) => metadataOf(field, type)) } : {}),
    numberOfRecordsUpdated,
  };
}
