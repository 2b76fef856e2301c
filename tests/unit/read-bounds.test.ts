import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type PostgresType, toExecuteResult } from '../../local/data-api/records';
import { DATA_API_LIMITS } from '../../shared/db/data-api-limits';
import { type ReadBound, type ResultColumn, resultBytes, rowBytes } from '../../shared/db/result-size';
import { tableWidths } from '../../shared/db/table-widths';
import { calculationReadBounds } from '../../shared/distributions/calculation/calculation-limits';
import expectedSchema from '../../shared/setup/expected-schema.json';

/**
 * Every repository read within the Data API's limits, by construction: each exported function
 * of a repository (one taking `db` or `trx` first) declares in its module's `readBounds` what it
 * answers at most, its columns' widest values and its rows per call, and each must fit: a row
 * within 64 KB, a call within 1 MiB. A new column (tableWidths must give it a width), a longer
 * field or a read without a bound fails here.
 */

const SHARED = join(import.meta.dirname, '../../shared');

function repositoryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? repositoryFiles(join(dir, entry.name)) : entry.name.endsWith('.repository.ts') ? [join(dir, entry.name)] : [],
  );
}

/** calculation.repository.ts's bounds depend on its limits, which import it: they live there. */
const boundsElsewhere: Record<string, () => Record<string, ReadBound>> = {
  'distributions/calculation/calculation.repository.ts': calculationReadBounds,
};

const repositories = await Promise.all(
  repositoryFiles(SHARED).map(async (file) => {
    const name = relative(SHARED, file);
    const module = (await import(file)) as Record<string, unknown>;
    const bounds = boundsElsewhere[name]?.() ?? (module.readBounds as Record<string, ReadBound> | undefined) ?? {};
    const functions = Object.entries(module).filter(
      (entry): entry is [string, (...args: unknown[]) => unknown] =>
        typeof entry[1] === 'function' && /^(async\s+)?(function\*?\s*\w*\s*)?\(\s*(db|trx)\b/.test(entry[1].toString()),
    );
    return { name, bounds, functions: functions.map(([fn]) => fn) };
  }),
);

const allBounds = repositories.flatMap(({ name, bounds }) => Object.entries(bounds).map(([read, bound]) => ({ read: `${name}: ${read}`, bound })));

describe('every repository read', () => {
  it('finds the repositories', () => {
    expect(repositories.length).toBeGreaterThanOrEqual(18);
  });

  it.each(repositories)('of $name declares its bound', ({ bounds, functions }) => {
    expect(functions.filter((fn) => bounds[fn] === undefined)).toEqual([]);
    expect(Object.keys(bounds).filter((read) => !functions.includes(read))).toEqual([]);
  });

  it.each(allBounds)('$read: a row within 64 KB, a call within 1 MiB', ({ bound }) => {
    if (bound.rowsPerCall === 0) return;
    expect(rowBytes(bound.columns)).toBeLessThanOrEqual(DATA_API_LIMITS.maxRowBytes);
    expect(resultBytes(bound.columns, bound.rowsPerCall)).toBeLessThanOrEqual(DATA_API_LIMITS.maxResponseBytes);
  });
});

/** The costliest value a column can hold, as the bound assumes: every character as costly as it may be. */
function costliestValue(column: ResultColumn): string {
  if (column.field === 'boolean') return 'f';
  // Ones, not nines: 19 nines round to 1e19 as a JS number, a digit more than any bigint has.
  if (column.field === 'long') return `-${'1'.repeat(column.maxChars - 1)}`.slice(0, Math.max(column.maxChars, 1));
  const char = { 1: '9', 2: '"', 3: '€' }[column.bytesPerChar ?? 1];
  if (char === undefined) throw new Error(`no character costs ${column.bytesPerChar} bytes`);
  return char.repeat(column.maxChars);
}

/** The bytes the emulator measures for `rows` rows of the costliest values, with the columns' own types. */
function encodedBytes(columns: readonly ResultColumn[], rows: number): { total: number; row: number } {
  const types = new Map<number, PostgresType>(columns.map((column, i) => [i + 1, { name: column.typeName ?? 'text', category: 'S', elementName: null }]));
  const row = columns.map((column) => costliestValue(column));
  const result = {
    command: 'SELECT',
    rowCount: rows,
    fields: columns.map((column, i) => ({ name: column.name, dataTypeID: i + 1 })),
    rows: Array.from({ length: rows }, () => row),
  } as unknown as pg.QueryResult<unknown[]>;
  const answer = toExecuteResult(result, types, { includeResultMetadata: true });
  return { total: Buffer.byteLength(JSON.stringify(answer)), row: Buffer.byteLength(JSON.stringify(answer.records?.[0] ?? [])) };
}

describe('a bound', () => {
  it.each(allBounds.filter(({ bound }) => bound.rowsPerCall > 0))('$read holds the emulator to it at its costliest', ({ bound }) => {
    const rows = Math.min(bound.rowsPerCall, 50);
    const encoded = encodedBytes(bound.columns, rows);
    expect(encoded.total).toBeLessThanOrEqual(resultBytes(bound.columns, rows));
    expect(encoded.row).toBeLessThanOrEqual(rowBytes(bound.columns));
  });
});

describe('the widths of every table', () => {
  const declared = Object.entries(tableWidths).flatMap(([table, columns]) =>
    Object.entries(columns).map(([column, width]) => ({ column: `${table}.${column}`, width: width as ResultColumn })),
  );

  it('cover every column the migrations make, and no other', () => {
    expect(declared.map(({ column }) => column).sort()).toEqual(Object.keys(expectedSchema.columns).sort());
  });

  it.each(declared)('$column is at least as wide as its type', ({ column, width }) => {
    const type = (expectedSchema.columns as Record<string, string>)[column]?.replace(/ not null$/, '') ?? '';
    const varchar = /^character varying\((\d+)\)$/.exec(type);
    const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
    if (varchar !== null) expect(width.maxChars).toBeGreaterThanOrEqual(Number(varchar[1]));
    else if (numeric !== null) expect(width.maxChars).toBeGreaterThanOrEqual(Number(numeric[1]) + (Number(numeric[2]) > 0 ? 2 : 1));
    else if (type === 'uuid') expect(width.maxChars).toBeGreaterThanOrEqual(36);
    else if (type === 'integer') expect(width).toMatchObject({ field: 'long', maxChars: 11 });
    else if (type === 'bigint') expect(width).toMatchObject({ field: 'long', maxChars: 20 });
    else if (type === 'timestamp with time zone') expect(width).toMatchObject({ typeName: 'timestamptz' });
    else if (type === 'jsonb') expect(width).toMatchObject({ typeName: 'jsonb' });
    else if (type === 'xid8') expect(width.maxChars).toBeGreaterThanOrEqual(String(2n ** 64n - 1n).length);
    else expect(type).toBe('text');
  });
});
