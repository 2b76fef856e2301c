import { sql } from 'kysely';
import { MAX_HOLDERS_PER_STATEMENT } from '../../config';
import type { Db } from '../../db/client';
import { NO_ROWS, type ReadBound, width } from '../../db/result-size';
import { uuid } from '../../db/sql-values';
import { CUT_REMAINDER } from '../../quantities';
import type { Dimension, Totals } from './apportionment';
import {
  atStep,
  type CalculationStep,
  type ChunkScope,
  chunkBalances,
  DIMENSION_CHARS,
  int8,
  lastHolderOf,
  num,
  oneUnitMore,
  shares,
  snapshotLines,
} from './calculation.repository';
import { firstPassAnswer, firstPassHoldersPerStatement, SNAPSHOT_LINES_PER_ROW } from './calculation-limits';

/**
 * SQL for a calculation that writes its rows before it knows exactly where the cut falls
 * (guessed-write-pass.ts): the cut guessed from a sample of holders, with a band around it; the
 * write that gives the extra unit from the guess up and keeps the holders within the band as
 * candidates (distribution_cut_candidates); and, once every row is in, the move of the unit
 * between the guess and the true cut.
 */

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];

/**
 * A guessed cut: holders with a remainder at or above `at` get the extra unit as their rows are
 * written; those within [lo, hi), around `at`, are kept as candidates, among which the true cut
 * is settled once every row is in.
 */
export interface CutGuess {
  lo: bigint;
  at: bigint;
  hi: bigint;
}

/**
 * Per dimension, the cut guessed from the sample `scope` reads (the first holders in id order:
 * ids are random, so they are a fair sample).
 *
 * In the sample, the units left over are about Σ remainders / S, and the cut is the holder of
 * that rank in (remainder desc) order: `at` is its remainder. The band spans the remainders from
 * that rank − `spread`·√sampled to that rank + `spread`·√sampled, ties at both ends included.
 * Where a rank falls outside the sample, the band (or `at`) reaches 0 or S. The guess decides how
 * many rows are settled later, never which holders get a unit: guessed-write-pass.ts.
 */
export async function estimateCuts(db: Db, scope: ChunkScope, totals: Totals, spread: number): Promise<Record<Dimension, CutGuess>> {
  const tokens = num(totals.tokens);
  const ranked = DIMENSIONS.map((dimension) => {
    const remainder = sql.ref(`${dimension}_remainder`);
    return sql`
      ${sql.ref(`${dimension}_ranked`)} AS (SELECT ${remainder} AS r, row_number() OVER (ORDER BY ${remainder} DESC) AS rank FROM shares),
      ${sql.ref(`${dimension}_rank`)} AS (
        SELECT div(coalesce(sum(${remainder}), 0) + div(${tokens}, 2), ${tokens}) AS leftover,
          ceil(cast(${String(spread)} as float8) * sqrt(count(*)))::numeric AS spread
        FROM shares)`;
  });
  const answers = DIMENSIONS.map((dimension) => {
    const [values, rank] = [sql.ref(`${dimension}_ranked`), sql.ref(`${dimension}_rank`)];
    return sql`
      SELECT ${dimension}::text AS dimension,
        (SELECT r FROM ${values}, ${rank} WHERE rank = leftover - spread)::text AS upper,
        (SELECT r FROM ${values}, ${rank} WHERE rank = leftover)::text AS at,
        (SELECT r FROM ${values}, ${rank} WHERE rank = leftover + spread)::text AS lower`;
  });
  const { rows } = await sql<{ dimension: Dimension; upper: string | null; at: string | null; lower: string | null }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}, ${sql.join(ranked, sql`, `)}
    ${sql.join(answers, sql` UNION ALL `)}`.execute(db);
  const guessOf = (dimension: Dimension): CutGuess => {
    const row = rows.find((answer) => answer.dimension === dimension);
    const lo = row?.lower == null ? 0n : BigInt(row.lower);
    const hi = row?.upper == null ? totals.tokens : BigInt(row.upper) + 1n;
    // No unit left over in the sample: nobody gets one until settled.
    const at = row?.at == null ? hi : BigInt(row.at);
    return { lo, at, hi };
  };
  return { amount: guessOf('amount'), percent: guessOf('percent') };
}

/** What a guessed write statement wrote and saw of its chunk, each per dimension. */
export interface GuessedChunk {
  lastHolderId: string | null;
  /** Rows written: the chunk's holders with a positive balance. */
  holders: number;
  /** Σ of their balances, in units. */
  tokens: bigint;
  /** The chunk's snapshot lines, in holder order. */
  lines: string[];
  floorSums: Record<Dimension, bigint>;
  /** Rows given the extra unit: a remainder at or above the guessed cut. */
  given: Record<Dimension, bigint>;
  /** Candidates kept below the guessed cut, in [lo, at), and at or above it, in [at, hi). */
  keptBelow: Record<Dimension, bigint>;
  keptAbove: Record<Dimension, bigint>;
}

/**
 * Writes the chunk's allocation rows with a guessed cut: per dimension, the floor, and the extra
 * unit for a remainder at or above the guess (`at`); the holders within its band ([lo, hi)) are
 * kept as candidates. Answers the chunk's snapshot lines (`linesPerRow` to a row, as the first
 * pass does: calculation.repository.ts, firstPassColumns) and one `chunk` row:
 * `holders;Σ units;last holder scanned;` then per dimension `Σ floor;given;kept below;kept above`.
 */
export async function insertGuessedAllocations(
  db: Db,
  scope: ChunkScope,
  totals: Totals,
  target: { eventId: string; cuts: Record<Dimension, CutGuess>; linesPerRow: number },
): Promise<GuessedChunk> {
  const event = uuid(target.eventId);
  const remainderOf = (dimension: Dimension) => sql.ref(`${dimension}_remainder`);
  const between = (dimension: Dimension, lo: bigint, hi: bigint) => sql`${remainderOf(dimension)} >= ${num(lo)} AND ${remainderOf(dimension)} < ${num(hi)}`;
  const given = (dimension: Dimension) => sql`${remainderOf(dimension)} >= ${num(target.cuts[dimension].at)}`;
  const unitsOf = (dimension: Dimension) => sql`(${sql.ref(`${dimension}_floor`)} + CASE WHEN ${given(dimension)} THEN 1 ELSE 0 END) * 0.0000001`;
  const kept = DIMENSIONS.map((dimension) => {
    const { lo, hi } = target.cuts[dimension];
    return sql`SELECT ${event}, ${dimension}::text, holder_id, ${remainderOf(dimension)} FROM shares WHERE ${between(dimension, lo, hi)}`;
  });
  const tallies = DIMENSIONS.map((dimension) => {
    const { lo, at, hi } = target.cuts[dimension];
    return sql`coalesce(sum(${sql.ref(`${dimension}_floor`)}), 0)::text || ';' || count(*) FILTER (WHERE ${given(dimension)})::text
      || ';' || count(*) FILTER (WHERE ${between(dimension, lo, at)})::text || ';' || count(*) FILTER (WHERE ${between(dimension, at, hi)})::text`;
  });
  const { rows } = await sql<{ kind: string; part: string | null; body: string | null }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}, ${snapshotLines(target.linesPerRow)},
    inserted AS (
      INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id,
        lp_tokens_held, ownership_percentage, allocated_amount, available_amount)
      SELECT ${event}, ${uuid(scope.projectId)}, holder_id, units * 0.0000001, ${unitsOf('percent')}, ${unitsOf('amount')}, ${unitsOf('amount')}
      FROM shares
    ),
    kept AS (
      INSERT INTO distribution_cut_candidates (distribution_event_id, dimension, lp_token_holder_id, remainder)
      ${sql.join(kept, sql` UNION ALL `)}
    )
    SELECT 'lines'::text AS kind, part::text AS part, body FROM lines
    UNION ALL
    SELECT 'chunk', NULL, count(*)::text || ';' || coalesce(sum(units), 0)::text || ';' || coalesce(${lastHolderOf(scope)}, '')
      || ';' || ${sql.join(tallies, sql` || ';' || `)}
    FROM shares`.execute(db);

  const lines: [number, string][] = [];
  let summary: string[] | undefined;
  for (const { kind, part, body } of rows) {
    if (kind === 'lines') lines.push([Number(part), body ?? '']);
    else summary = (body ?? '').split(';');
  }
  if (summary === undefined) throw new Error('guessed allocation insert returned no chunk row');
  const [holders = '0', tokens = '0', last = '', ...perDimension] = summary;
  const field = (dimension: Dimension, offset: number) => BigInt(perDimension[DIMENSIONS.indexOf(dimension) * 4 + offset] ?? '0');
  const byDimension = (offset: number) => ({ amount: field('amount', offset), percent: field('percent', offset) });
  return {
    lastHolderId: last === '' ? null : last,
    holders: Number(holders),
    tokens: BigInt(tokens),
    lines: lines.sort(([a], [b]) => a - b).map(([, text]) => text),
    floorSums: byDimension(0),
    given: byDimension(1),
    keptBelow: byDimension(2),
    keptAbove: byDimension(3),
  };
}

/**
 * Moves the cut of `dimension` from its guess to where it truly is: with `units` > 0, the first
 * `units` candidates below the guess in (remainder desc, holder id asc) order get the unit; with
 * `units` < 0, the last −`units` of those at or above it lose theirs. Returns the rows changed.
 */
export async function settleCut(trx: Db, eventId: string, dimension: Dimension, guess: CutGuess, units: bigint): Promise<number> {
  if (units === 0n) return 0;
  const event = uuid(eventId);
  const moved =
    units > 0n
      ? sql`remainder < ${num(guess.at)} ORDER BY remainder DESC, lp_token_holder_id LIMIT ${int8(units)}`
      : sql`remainder >= ${num(guess.at)} ORDER BY remainder, lp_token_holder_id DESC LIMIT ${int8(-units)}`;
  const result = await sql`
    UPDATE distribution_allocations SET ${oneUnitMore(dimension, units > 0n ? '+' : '-')}
    WHERE distribution_event_id = ${event} AND lp_token_holder_id IN (
      SELECT lp_token_holder_id FROM distribution_cut_candidates
      WHERE distribution_event_id = ${event} AND dimension = ${dimension} AND ${moved})`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Drops an event's candidates: once its guessed write is settled, or its calculation failed. */
export async function deleteCutCandidates(db: Db, eventId: string): Promise<void> {
  await sql`DELETE FROM distribution_cut_candidates WHERE distribution_event_id = ${uuid(eventId)}`.execute(db);
}

/** Removes up to `size` of an event's candidates while it stands at the reset step; a worker that fell behind deletes nothing. */
export async function deleteCutCandidatesChunk(db: Db, step: CalculationStep, size: number): Promise<number> {
  const result = await sql`
    DELETE FROM distribution_cut_candidates WHERE (distribution_event_id, dimension, lp_token_holder_id) IN (
      SELECT distribution_event_id, dimension, lp_token_holder_id FROM distribution_cut_candidates
      WHERE distribution_event_id = ${uuid(step.eventId)} LIMIT ${size})
    AND EXISTS (SELECT 1 FROM distribution_events WHERE ${atStep(step)})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** What each read answers at most: a guessed write answers as a first-pass read does, with one row besides its lines. */
export const readBounds: Record<string, ReadBound> = {
  estimateCuts: {
    columns: [
      { name: 'dimension', maxChars: DIMENSION_CHARS },
      { name: 'upper', maxChars: width.quantity(CUT_REMAINDER).maxChars },
      { name: 'at', maxChars: width.quantity(CUT_REMAINDER).maxChars },
      { name: 'lower', maxChars: width.quantity(CUT_REMAINDER).maxChars },
    ],
    rowsPerCall: DIMENSIONS.length,
  },
  insertGuessedAllocations: {
    columns: firstPassAnswer,
    rowsPerCall: Math.ceil(firstPassHoldersPerStatement(MAX_HOLDERS_PER_STATEMENT) / SNAPSHOT_LINES_PER_ROW) + 1,
  },
  settleCut: NO_ROWS,
  deleteCutCandidates: NO_ROWS,
  deleteCutCandidatesChunk: NO_ROWS,
};
