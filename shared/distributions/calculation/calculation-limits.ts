import { MAX_HOLDERS_PER_STATEMENT } from '../../config';
import { digitsOf, NO_ROWS, type ReadBound, readBound, rowsPerResult, width } from '../../db/result-size';
import { DISTRIBUTION_AMOUNT, LP_TOKENS, OWNERSHIP_PERCENTAGE } from '../../quantities';
import { type SearchLimits, toUnits, type Totals } from './apportionment';
import {
  candidateColumns,
  firstPassColumns,
  histogramColumns,
  SNAPSHOT_LINE_CHARS,
  type SearchWidths,
  tieColumns,
  writeColumns,
} from './calculation.repository';
import { STATE_MAX_BYTES } from './state-size';

/**
 * How big each statement of the calculation may be, derived from the RDS Data API's limits
 * rather than from one chunk setting, so that no call can be refused whatever the data:
 *
 * - Answers (≤ 1 MiB): the first pass answers its chunk's snapshot lines packed in rows of at
 *   most FIRST_PASS_BODY_CHARS, so it covers as many holders as those rows fit; the cut-search
 *   statements answer a row per histogram bucket or per candidate, so the buckets and the
 *   candidates kept are what fit.
 * - Requests (≤ 4 MiB): the only parameter that can be large is the calculation state written
 *   back on every step; it is bounded by STATE_MAX_BYTES, which also keeps the event row well
 *   under the 64 KiB a row may take with the rest of the calculation's read (findCalculationEvent);
 *   the API's reads of the event leave it out.
 * - Time (≤ 45 s a call): holders per statement are capped in config (MAX_HOLDERS_PER_STATEMENT).
 */

/** Kept in ./state-size.ts, for db/table-widths.ts. */
export { STATE_MAX_BYTES };

/**
 * What one dimension's tally (the partial result of a cut-search pass) may take of the state.
 * Two of them leave 4 KiB for the rest: totals, searches, cursors, the hash state.
 */
export const TALLY_MAX_BYTES = 10 * 1024;

/** A bucket index never has more digits than this (buckets are far fewer than 10^10). */
const BUCKET_CHARS = 10;

const DIMENSIONS = 2;

/** The holder count is an integer column. */
const WIDEST_HOLDERS = 2 ** 31 - 1;

/**
 * The widest text of one row of the first pass's answer (a share of the chunk's snapshot lines,
 * or one dimension's histogram): well within a 64 KiB row, and small enough that the rows of
 * lines waste little of the answer.
 */
export const FIRST_PASS_BODY_CHARS = 32_000;

/** Snapshot lines per row of the first pass's answer. */
export const SNAPSHOT_LINES_PER_ROW = Math.floor(FIRST_PASS_BODY_CHARS / SNAPSHOT_LINE_CHARS);

/** The first pass's answer: rows of lines, one per dimension, and the chunk's. */
export const firstPassAnswer = firstPassColumns(FIRST_PASS_BODY_CHARS, digitsOf(MAX_HOLDERS_PER_STATEMENT));

/** Holders per first-pass statement: as many as their rows of lines fit beside the other rows. */
export function firstPassHoldersPerStatement(holdersPerStatement: number): number {
  return Math.min(holdersPerStatement, (rowsPerResult(firstPassAnswer) - DIMENSIONS - 1) * SNAPSHOT_LINES_PER_ROW);
}

/** The widest value of each kind a cut-search answer can carry, from the calculation's totals. */
export function searchWidths(totals: Totals, holdersPerStatement: number): SearchWidths {
  return {
    // remainder = T·b mod S < S, the Σ tokens in units
    remainder: digitsOf(totals.tokens),
    floorSum: digitsOf(totals.amount > totals.percent ? totals.amount : totals.percent),
    count: digitsOf(holdersPerStatement),
    bucket: BUCKET_CHARS,
  };
}

/**
 * Histogram buckets and the gather limit for a calculation, the largest that keep both the
 * answers and the persisted tallies within their limits:
 * - a histogram answer has at most DIMENSIONS × (buckets + 1) + 1 rows;
 * - a histogram tally persists a count per bucket (at most `holders`, as decimal text and a
 *   separator) and the least and greatest remainder;
 * - on the first pass (`holders` null: the pass counts them) a count may be as wide as the
 *   widest calculation's, and a dimension's histogram is one text of the first pass's answer:
 *   `Σ floor;min;max;bucket:count,…` within FIRST_PASS_BODY_CHARS;
 * - a gather answer has at most DIMENSIONS × gatherLimit + 1 rows, and its tally keeps at most
 *   gatherLimit candidates (`remainder:holder id` and a separator).
 *
 * @example
 * // 1,000,000 holders, 5·10^18 token units: 1,271 buckets, 179 candidates
 * searchLimitsFor({ tokens: 5n * 10n ** 18n, amount: 10n ** 13n, percent: 10n ** 9n }, 1_000_000, 50_000)
 */
export function searchLimitsFor(totals: Totals, holders: number | null, holdersPerStatement: number): SearchLimits {
  const widths = searchWidths(totals, holdersPerStatement);
  const histogramRows = rowsPerResult(histogramColumns(widths));
  const bucketsByFirstPass =
    holders === null ? Math.floor((FIRST_PASS_BODY_CHARS - widths.floorSum - 2 * widths.remainder - 3) / (widths.bucket + widths.count + 2)) : Infinity;
  const bucketsByAnswer = Math.min(Math.floor((histogramRows - 1) / DIMENSIONS) - 1, bucketsByFirstPass);
  const bucketsByTally = Math.floor((TALLY_MAX_BYTES - 2 * (widths.remainder + 16)) / (digitsOf(holders ?? WIDEST_HOLDERS) + 1));
  const candidateRows = rowsPerResult(candidateColumns(widths));
  const candidatesByAnswer = Math.floor((candidateRows - 1) / DIMENSIONS);
  const candidatesByTally = Math.floor(TALLY_MAX_BYTES / (widths.remainder + 1 + 36 + 1));
  return {
    buckets: Math.max(2, Math.min(bucketsByAnswer, bucketsByTally)),
    gatherLimit: BigInt(Math.max(1, Math.min(candidatesByAnswer, candidatesByTally))),
  };
}

/**
 * The widest calculation the ledger can hold: 2^31 − 1 holders (the count is an integer) of
 * together every LP token a project may issue (the API keeps the tokens a project has issued,
 * and so every snapshot's Σ, within LP_TOKENS), and the largest distribution amount.
 */
const WIDEST: { totals: Totals; holders: number } = {
  totals: { tokens: toUnits(LP_TOKENS.max), amount: toUnits(DISTRIBUTION_AMOUNT.max), percent: 10n ** 9n },
  holders: WIDEST_HOLDERS,
};

/**
 * What each read of calculation.repository.ts answers at most, for the widest calculation
 * (tests/unit/read-bounds.test.ts; calculation-limits.test.ts checks them calculation by calculation).
 */
export function calculationReadBounds(): Record<string, ReadBound> {
  const widths = searchWidths(WIDEST.totals, MAX_HOLDERS_PER_STATEMENT);
  const limits = searchLimitsFor(WIDEST.totals, WIDEST.holders, MAX_HOLDERS_PER_STATEMENT);
  return {
    tokensAsOf: readBound({ tokens: width.quantity(LP_TOKENS), holders_estimate: width.ascii('9223372036854775807'.length, 'text') }, 1),
    readFirstPass: {
      columns: firstPassAnswer,
      rowsPerCall: Math.ceil(firstPassHoldersPerStatement(MAX_HOLDERS_PER_STATEMENT) / SNAPSHOT_LINES_PER_ROW) + DIMENSIONS + 1,
    },
    readHistograms: { columns: histogramColumns(widths), rowsPerCall: DIMENSIONS * (limits.buckets + 1) + 1 },
    readCandidates: { columns: candidateColumns(widths), rowsPerCall: DIMENSIONS * Number(limits.gatherLimit) + 1 },
    readTies: { columns: tieColumns(widths), rowsPerCall: DIMENSIONS + 1 },
    insertAllocations: { columns: writeColumns(widths), rowsPerCall: DIMENSIONS * Number(limits.gatherLimit) + 1 },
    addLeftoverUnits: NO_ROWS,
    findCalculationEvent: readBound(
      {
        project_id: width.uuid,
        status: width.ascii(50),
        distribution_date: width.timestamptz,
        total_amount: width.quantity(DISTRIBUTION_AMOUNT),
        created_by: width.uuid,
        calculation_requested_by: width.uuid,
        calculation_requested_at: width.timestamptz,
        calculation_state: width.asciiJsonb(STATE_MAX_BYTES),
        calculated_at: width.timestamptz,
        snapshot_holder_count: width.int4,
      },
      1,
    ),
    lockCalculationStep: readBound({ locked: width.int4 }, 1),
    deleteAllocationsChunk: NO_ROWS,
    saveCalculationState: NO_ROWS,
    saveWriteProgress: NO_ROWS,
    markEventCalculated: NO_ROWS,
    failCalculatingEvent: NO_ROWS,
  };
}
