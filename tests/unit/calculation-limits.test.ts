import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type PostgresType, toExecuteResult } from '../../local/data-api/records';
import { DATA_API_LIMITS } from '../../shared/db/data-api-limits';
import { MAX_HOLDERS_PER_STATEMENT } from '../../shared/config';
import type { Tally, Totals } from '../../shared/distributions/calculation/apportionment';
import {
  candidateColumns,
  histogramColumns,
  tieColumns,
  writeColumns,
} from '../../shared/distributions/calculation/calculation.repository';
import {
  FIRST_PASS_BODY_CHARS,
  firstPassAnswer,
  firstPassHoldersPerStatement,
  searchLimitsFor,
  searchWidths,
  SNAPSHOT_LINES_PER_ROW,
  STATE_MAX_BYTES,
} from '../../shared/distributions/calculation/calculation-limits';
import { type CalculationState, parseCalculationState, storedCalculationState } from '../../shared/distributions/calculation/calculation-state';
import { resultBytes, rowBytes, rowsPerResult, type ResultColumn } from '../../shared/db/result-size';
import { SnapshotHash } from '../../shared/distributions/calculation/snapshot-hash';

const TEXT_OID = 25;
const TEXT: ReadonlyMap<number, PostgresType> = new Map([[TEXT_OID, { name: 'text', category: 'S', elementName: null }]]);

/** The bytes the emulator measures for these rows: the JSON of its ExecuteStatement answer, as kysely-data-api asks for it. */
function encodedBytes(columns: readonly ResultColumn[], rows: (string | null)[][]): number {
  const result = {
    command: 'SELECT',
    rowCount: rows.length,
    fields: columns.map((column) => ({ name: column.name, dataTypeID: TEXT_OID })),
    rows,
  } as unknown as pg.QueryResult<unknown[]>;
  return Buffer.byteLength(JSON.stringify(toExecuteResult(result, TEXT, { includeResultMetadata: true })));
}

/** A row of the longest value every column can hold. */
const widest = (columns: readonly ResultColumn[]) => columns.map((column) => '9'.repeat(column.maxChars));

const nines = (digits: number) => 10n ** BigInt(digits) - 1n;

/** Calculations at the edges: a million holders of the largest balances the ledger can hold, and beyond. */
const cases: { name: string; totals: Totals; holders: number }[] = [
  { name: '1,000,000 holders, 10^23-token balances', totals: { tokens: 10n ** 36n, amount: nines(20), percent: 10n ** 9n }, holders: 1_000_000 },
  { name: '2^31 holders, 10^40-unit balances', totals: { tokens: 10n ** 50n, amount: nines(20), percent: 10n ** 9n }, holders: 2 ** 31 - 1 },
  { name: '3 holders of one unit', totals: { tokens: 3n, amount: 1n, percent: 10n ** 9n }, holders: 3 },
];

describe('the size of a Data API answer', () => {
  const widths = searchWidths(cases[1]!.totals, MAX_HOLDERS_PER_STATEMENT);
  it.each([
    ['a first pass', firstPassAnswer],
    ['a histogram', histogramColumns(widths)],
    ['a gather', candidateColumns(widths)],
    ['a tie-walk', tieColumns(widths)],
  ])('is bounded, closely, by the shape of %s', (_statement, columns) => {
    for (const rows of [0, 1, 7, 1000]) {
      // Prepare: every value at its longest, which is what the bound assumes of every row
      const encoded = encodedBytes(columns, Array.from({ length: rows }, () => widest(columns)));

      // Assess: never above the bound, and within a few bytes a column of it (type codes, the last comma)
      expect(encoded).toBeLessThanOrEqual(resultBytes(columns, rows));
      expect(resultBytes(columns, rows) - encoded).toBeLessThan(8 * columns.length + 8);
    }
  });

  it('counts a null as the longer of null and the widest value', () => {
    const empty = [{ name: 'x', maxChars: 0 }];
    expect(encodedBytes(empty, [[null]])).toBeLessThanOrEqual(resultBytes(empty, 1));
    expect(rowBytes(empty)).toBe('[{"stringValue":""}],'.length);
  });

  it('fits as many rows as it says in one answer, and not one more', () => {
    const rows = rowsPerResult(firstPassAnswer);
    const full = Array.from({ length: rows }, () => widest(firstPassAnswer));
    expect(encodedBytes(firstPassAnswer, full)).toBeLessThanOrEqual(DATA_API_LIMITS.maxResponseBytes);
    expect(encodedBytes(firstPassAnswer, [...full, ...full.slice(0, 2)])).toBeGreaterThan(DATA_API_LIMITS.maxResponseBytes);
  });
});

describe.each(cases)('every statement of a calculation of $name', ({ totals, holders }) => {
  const widths = searchWidths(totals, MAX_HOLDERS_PER_STATEMENT);
  const limits = searchLimitsFor(totals, holders, MAX_HOLDERS_PER_STATEMENT);
  const firstPassLimits = searchLimitsFor(totals, null, MAX_HOLDERS_PER_STATEMENT);

  it('answers within 1 MiB', () => {
    const firstPassRows = Math.ceil(firstPassHoldersPerStatement(MAX_HOLDERS_PER_STATEMENT) / SNAPSHOT_LINES_PER_ROW) + 3;
    const histogramRows = 2 * (limits.buckets + 1) + 1;
    const gatherRows = 2 * Number(limits.gatherLimit) + 1;
    const answers: [readonly ResultColumn[], number][] = [
      [firstPassAnswer, firstPassRows],
      [histogramColumns(widths), histogramRows],
      [candidateColumns(widths), gatherRows],
      [tieColumns(widths), 3],
      [writeColumns(widths), gatherRows],
    ];
    for (const [columns, rows] of answers) {
      expect(encodedBytes(columns, Array.from({ length: rows }, () => widest(columns)))).toBeLessThanOrEqual(DATA_API_LIMITS.maxResponseBytes);
    }
    expect(limits.buckets).toBeGreaterThanOrEqual(2);
    expect(limits.gatherLimit).toBeGreaterThanOrEqual(1n);
  });

  it('fits a first-pass histogram, every count at its widest, in one row of the first pass', () => {
    const bucket = (firstPassLimits.buckets - 1).toString();
    const entries = Array.from({ length: firstPassLimits.buckets }, () => `${bucket}:${nines(widths.count)}`);
    const body = `${nines(widths.floorSum)};${nines(widths.remainder)};${nines(widths.remainder)};${entries.join(',')}`;
    expect(body.length).toBeLessThanOrEqual(FIRST_PASS_BODY_CHARS);
  });

  it('persists a state within its budget, whatever the pass has seen', async () => {
    // Prepare: the largest state of each phase, every number at its widest
    const remainder = nines(widths.remainder);
    const holder = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    const histogram: Tally = { kind: 'histogram', counts: Array.from({ length: limits.buckets }, () => BigInt(holders)), min: remainder, max: remainder };
    const gather: Tally = { kind: 'gather', best: Array.from({ length: Number(limits.gatherLimit) }, () => ({ remainder, holderId: holder })) };
    const searchOf = (phase: 'histogram' | 'gather') =>
      phase === 'histogram'
        ? { phase, lo: remainder, hi: remainder, need: BigInt(holders), band: { lo: remainder, hi: remainder } }
        : { phase, lo: remainder, hi: remainder, need: BigInt(holders) };
    const base = { seq: 2 ** 31 - 1, totals, holders, snapshotHash: `sha256:${'f'.repeat(64)}` };
    const floorSums = { amount: totals.amount, percent: totals.percent };
    // The widest saved hash: a carry of 63 bytes, and the bytes hashed as wide as a safe integer
    const hash = SnapshotHash.start();
    hash.addLines('x'.repeat(63));
    const widestHash = hash.save().replace(/:0:/, `:${Number.MAX_SAFE_INTEGER}:`);
    const firstPassHistogram: Tally = { ...histogram, counts: Array.from({ length: firstPassLimits.buckets }, () => BigInt(2 ** 31 - 1)) };
    const states: CalculationState[] = [
      {
        phase: 'select',
        seq: base.seq,
        totals,
        holdersEstimate: 2 ** 31 - 1,
        searches: null,
        pass: {
          after: holder,
          floorSums,
          tallies: { amount: firstPassHistogram, percent: firstPassHistogram },
          snapshot: { holders: 2 ** 31 - 1, tokens: totals.tokens, hash: widestHash },
        },
      },
      ...(['histogram', 'gather'] as const).map((phase): CalculationState => ({
        phase: 'select',
        ...base,
        searches: { amount: searchOf(phase), percent: searchOf(phase) },
        pass: { after: holder, floorSums, tallies: { amount: phase === 'histogram' ? histogram : gather, percent: phase === 'histogram' ? histogram : gather } },
      })),
      {
        phase: 'write',
        ...base,
        cuts: { amount: { remainder, holderId: holder }, percent: { remainder, holderId: holder } },
        gathers: {
          amount: { lo: remainder, hi: remainder, need: BigInt(limits.gatherLimit), best: gather.best },
          percent: { lo: remainder, hi: remainder, need: BigInt(limits.gatherLimit), best: gather.best },
        },
        after: holder,
        written: holders,
        amountUnits: totals.amount,
        percentUnits: totals.percent,
      },
      {
        phase: 'write',
        seq: base.seq,
        totals,
        guess: {
          cuts: { amount: { lo: remainder, at: remainder, hi: remainder }, percent: { lo: remainder, at: remainder, hi: remainder } },
          floorSums,
          given: { amount: BigInt(holders), percent: BigInt(holders) },
          keptBelow: { amount: BigInt(holders), percent: BigInt(holders) },
          keptAbove: { amount: BigInt(holders), percent: BigInt(holders) },
          snapshot: { holders: 2 ** 31 - 1, tokens: totals.tokens, hash: widestHash },
        },
        after: holder,
        written: holders,
        amountUnits: totals.amount,
        percentUnits: totals.percent,
      },
    ];

    for (const state of states) {
      // Act
      const stored = storedCalculationState(state);

      // Assess: within budget, as jsonb text inside a Data API answer well within a 64 KiB row, and read back unchanged
      const text = JSON.stringify(stored);
      expect(text.length).toBeLessThanOrEqual(STATE_MAX_BYTES);
      const asJsonbInAnswer = JSON.stringify(text.replaceAll(':', ': ').replaceAll(',', ', '));
      expect(asJsonbInAnswer.length).toBeLessThan(DATA_API_LIMITS.maxRowBytes / 2);
      expect(storedCalculationState(parseCalculationState(stored))).toEqual(stored);
    }
  });
});

describe('the sizes at the default settings and a million holders', () => {
  it('are what the README states', () => {
    const totals = { tokens: 5n * 10n ** 18n, amount: 10n ** 13n, percent: 10n ** 9n };
    const firstPass = searchLimitsFor(totals, null, MAX_HOLDERS_PER_STATEMENT);
    expect({
      firstPassHolders: firstPassHoldersPerStatement(MAX_HOLDERS_PER_STATEMENT),
      firstPassBuckets: firstPass.buckets,
      ...searchLimitsFor(totals, 1_000_000, MAX_HOLDERS_PER_STATEMENT),
    }).toMatchInlineSnapshot(`
      {
        "buckets": 1271,
        "firstPassBuckets": 924,
        "firstPassHolders": 13427,
        "gatherLimit": 179n,
      }
    `);
  });
});
