import { badRequest } from './errors';
import type { Field, SqlParameter, TypeHint } from './requests';

/** A statement as Postgres takes it: `$n` placeholders and their values in order. */
export interface PositionalStatement {
  text: string;
  values: unknown[];
}

const HINTED_TYPES: Record<TypeHint, string> = {
  UUID: 'uuid',
  DECIMAL: 'numeric',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
  TIME: 'time',
  JSON: 'json',
};

interface BoundValue {
  /** The SQL type the Data API sends the value as; null leaves it to Postgres to infer. */
  type: string | null;
  value: unknown;
}

/**
 * What the Data API sends for one parameter. Its JDBC driver sends an untyped string as
 * `varchar`, so `uuid_col = :id` fails there unless the SQL casts or a typeHint says UUID; the
 * explicit cast reproduces exactly that.
 */
function bindValue({ name, value, typeHint }: SqlParameter): BoundValue {
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length !== 1) throw badRequest(`Parameter ${name} must set exactly one value member`);
  const field: Field = value;
  if (field.arrayValue !== undefined) throw badRequest('Array parameters are not supported.');
  if (field.stringValue !== undefined) {
    return { type: typeHint === undefined ? 'varchar' : HINTED_TYPES[typeHint], value: field.stringValue };
  }
  if (field.longValue !== undefined) return { type: 'bigint', value: String(field.longValue) };
  if (field.doubleValue !== undefined) return { type: 'double precision', value: String(field.doubleValue) };
  if (field.booleanValue !== undefined) return { type: 'boolean', value: field.booleanValue };
  if (field.blobValue !== undefined) return { type: 'bytea', value: Buffer.from(field.blobValue, 'base64') };
  if (field.isNull === true) return { type: null, value: null };
  throw badRequest(`Parameter ${name} has no value`);
}

const isIdentifierChar = (char: string | undefined) => char !== undefined && /[\w$]/.test(char);

function blockCommentLength(rest: string): number {
  let depth = 0;
  for (let i = 0; i < rest.length - 1; i += 1) {
    if (rest.startsWith('/*', i)) {
      depth += 1;
      i += 1;
    } else if (rest.startsWith('*/', i)) {
      depth -= 1;
      i += 1;
      if (depth === 0) return i + 1;
    }
  }
  return rest.length;
}

function quotedLength(rest: string, backslashEscapes: boolean): number {
  const quote = rest[0];
  for (let i = 1; i < rest.length; i += 1) {
    if (backslashEscapes && rest[i] === '\\') i += 1;
    else if (rest[i] === quote) {
      if (rest[i + 1] !== quote) return i + 1;
      i += 1;
    }
  }
  return rest.length;
}

/** Length of the comment, quoted text or dollar-quoted body starting at `start`, or 0. */
function skippableLength(sql: string, start: number): number {
  const rest = sql.slice(start);
  const before = sql[start - 1];
  if (rest.startsWith('--')) {
    const end = rest.indexOf('\n');
    return end === -1 ? rest.length : end + 1;
  }
  if (rest.startsWith('/*')) return blockCommentLength(rest);
  if (rest[0] === '"') return quotedLength(rest, false);
  if (rest[0] === "'") {
    // E'…' strings escape with backslashes; standard strings double the quote.
    const escapeString = (before === 'E' || before === 'e') && !isIdentifierChar(sql[start - 2]);
    return quotedLength(rest, escapeString);
  }
  const dollarTag = isIdentifierChar(before) ? undefined : /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest)?.[0];
  if (dollarTag !== undefined) {
    const end = rest.indexOf(dollarTag, dollarTag.length);
    return end === -1 ? rest.length : end + dollarTag.length;
  }
  return 0;
}

/**
 * Rewrites the Data API's named parameters (`:name`) into Postgres placeholders, leaving string
 * literals, quoted identifiers, comments, dollar-quoted bodies and `::` casts alone.
 *
 * @example
 * toPositional('SELECT * FROM users WHERE id = :id', [{ name: 'id', value: { stringValue: 'x' } }])
 * // { text: 'SELECT * FROM users WHERE id = $1::varchar', values: ['x'] }
 */
export function toPositional(sql: string, parameters: readonly SqlParameter[] = []): PositionalStatement {
  const byName = new Map(parameters.map((parameter) => [parameter.name, parameter]));
  const positions = new Map<string, string>();
  const values: unknown[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const skip = skippableLength(sql, i);
    if (skip > 0) {
      text += sql.slice(i, i + skip);
      i += skip;
      continue;
    }
    if (sql.startsWith('::', i)) {
      text += '::';
      i += 2;
      continue;
    }
    const name = sql[i] === ':' ? /^[A-Za-z0-9_]+/.exec(sql.slice(i + 1))?.[0] : undefined;
    if (name === undefined) {
      text += sql[i];
      i += 1;
      continue;
    }
    let placeholder = positions.get(name);
    if (placeholder === undefined) {
      const parameter = byName.get(name);
      if (parameter === undefined) throw badRequest(`No value was given for parameter :${name}`);
      const bound = bindValue(parameter);
      values.push(bound.value);
      placeholder = bound.type === null ? `$${values.length}` : `$${values.length}::${bound.type}`;
      positions.set(name, placeholder);
    }
    text += placeholder;
    i += 1 + name.length;
  }
  return { text, values };
}
