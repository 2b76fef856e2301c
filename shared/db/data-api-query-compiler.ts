import { PostgresQueryCompiler } from 'kysely';

// kysely-data-api 2.0.0's Postgres query compiler (MIT, serverless-stack/kysely-data-api):
// named parameters (`:0`, `:1`, …) carrying each value as the Data API types it. Unchanged.

interface TypedValue {
  typeHint?: string;
  value: Record<string, unknown>;
}

export class PostgresDataApiQueryCompiler extends PostgresQueryCompiler {
  protected override appendValue(value: unknown): void {
    const name = this.numParameters;
    this.append(this.getCurrentParameterPlaceholder());
    this.addParameter({ name: name.toString(), ...serialize(value) });
  }

  protected override getCurrentParameterPlaceholder(): string {
    return `:${this.numParameters}`;
  }
}

function serialize(value: unknown): TypedValue {
  switch (typeof value) {
    case 'bigint':
      return { value: { doubleValue: Number(value) } };
    case 'boolean':
      return { value: { booleanValue: value } };
    case 'number':
      return Number.isInteger(value) ? { value: { longValue: value } } : { value: { doubleValue: value } };
    case 'object': {
      if (value == null) return { value: { isNull: true } };
      if (Buffer.isBuffer(value)) return { value: { blobValue: value } };
      if (value instanceof Date) return { typeHint: 'TIMESTAMP', value: { stringValue: fixISOString(value.toISOString()) } };
      const typed = value as Partial<TypedValue>;
      if (typed.value && isValueObject(typed.value)) {
        if (typed.typeHint && typeof typed.value.stringValue === 'string' && typed.value.stringValue) {
          typed.value.stringValue = fixStringValue(typed.typeHint, typed.value.stringValue);
        }
        return typed as TypedValue;
      }
      break;
    }
    case 'string':
      return { value: { stringValue: value } };
  }
  throw new QueryCompilerError('Could not serialize value');
}

function fixStringValue(typeHint: string, value: string): string {
  switch (typeHint) {
    case 'DATE':
      return parseToISOString(value).slice(0, 10);
    case 'TIME':
      return /^\d{4}-\d{2}-\d{2}/.test(value) ? parseToISOString(value).slice(11, 23) : fixTimeString(value);
    case 'TIMESTAMP':
      return fixISOString(parseToISOString(value));
  }
  return value;
}

function fixTimeString(s: string): string {
  const elements = (s || '00:00:00').split(':');
  while (elements.length < 3) elements.push('00');
  return elements.join(':').slice(0, 12);
}

const fixISOString = (s: string): string => s.replace('T', ' ').slice(0, 23);

const parseToISOString = (s: string): string => new Date(Date.parse(s)).toISOString();

const PRIMITIVE_KEYS = ['blobValue', 'booleanValue', 'doubleValue', 'isNull', 'longValue', 'stringValue'];
const ARRAY_KEYS = ['booleanValues', 'doubleValues', 'longValues', 'stringValues'];

function isValueObject(value: Record<string, unknown>): boolean {
  if (PRIMITIVE_KEYS.some((key) => value[key])) return true;
  const array = value.arrayValue as Record<string, unknown> | undefined;
  return Boolean(array) && ARRAY_KEYS.some((key) => array![key]);
}

class QueryCompilerError extends Error {
  override readonly name = 'QueryCompilerError';
}
