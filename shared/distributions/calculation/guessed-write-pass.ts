import { MAX_HOLDERS_PER_STATEMENT } from '../../config';
import type { Db } from '../../db/client';
import { logger } from '../../logger';
import type { Dimension, Totals } from './apportionment';
import { type Calculation, scopeOf } from './calculation';
import { type CalculationStep, FIRST_HOLDER, lockCalculationStep, saveWriteProgress } from './calculation.repository';
import { firstPassHoldersPerStatement, SNAPSHOT_LINES_PER_ROW } from './calculation-limits';
import { type CalculationState, type GuessedWriteState, storedCalculationState, type WriteGuess } from './calculation-state';
import { deleteCutCandidates, estimateCuts, insertGuessedAllocations, settleCut } from './guessed-cut.repository';
import { concludeSnapshot, emptySnapshot, resumedHash } from './snapshot-pass';
import { completeCalculation, type WriteOutcome } from './write-pass';

/**
 * Writing before the cut is known. Searching for the cut first costs a read of every holder
 * before the write reads them all again (about a sixth of the write at 100,000 holders). Instead,
 * the calculation guesses from a sample where the cut falls, and writes every row with the extra
 * unit for the remainders from the guess up; the holders in a band around the guess are kept as
 * candidates (distribution_cut_candidates). The write pass also takes the snapshot and sums the
 * floors, so once the last row is in, the units left over are known, and with them where the
 * true cut is: the candidates between the guess and it get the unit, or lose it, in the
 * transaction that completes the calculation (a few hundred rows at 100,000 holders).
 *
 * When the true cut falls outside the band (the sample misled: holdings whose remainders cluster,
 * or ids that are not random), the rows are dropped and the calculation starts over searching
 * first (`reset` with `searchFirst`): the guess decides how fast, never which holders get a unit.
 */

/**
 * Holders sampled for a calculation of about `holders`: the sample's cost grows with its size
 * and the candidates' with holders / √sample, so it grows as holders^⅔ (about 10,000 at
 * 100,000 holders, 50,000 at a million), within one statement's holders.
 */
export function sampledHolders(holders: number): number {
  return Math.min(MAX_HOLDERS_PER_STATEMENT, Math.max(1_000, Math.round(Math.cbrt(11 * holders) ** 2)));
}

/**
 * The band's reach on either side of the guessed cut's rank in the sample, in √sampled: the
 * sample's leftover units and its count above any point each vary by at most ½·√sampled, so
 * 3·√sampled is three of the worst case's standard deviations, and about ten for evenly spread remainders.
 */
export const BAND_SPREAD = 3;

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];
const zeroes = (): Record<Dimension, bigint> => ({ amount: 0n, percent: 0n });

/** The state a guessed write starts from: the cuts guessed from a sample of the holders. */
export async function startGuessedWrite(db: Db, calculation: Calculation, totals: Totals, holdersEstimate: number): Promise<GuessedWriteState> {
  const sample = scopeOf(calculation, FIRST_HOLDER, sampledHolders(holdersEstimate));
  const cuts = await estimateCuts(db, sample, totals, BAND_SPREAD);
  return {
    phase: 'write',
    totals,
    guess: { cuts, floorSums: zeroes(), given: zeroes(), keptBelow: zeroes(), keptAbove: zeroes(), snapshot: emptySnapshot() },
    after: FIRST_HOLDER,
    written: 0,
    amountUnits: 0n,
    percentUnits: 0n,
  };
}

/**
 * One step of a guessed write: in one transaction, as many statements as `holdersPerStatement`
 * holders take (each of at most as many holders as its snapshot lines fit in an answer), with
 * the progress that records them. After the last holder the same transaction settles the cut
 * and completes the calculation, or drops the guess (see above).
 */
export async function guessedWriteStep(
  db: Db,
  calculation: Calculation,
  step: CalculationStep,
  state: GuessedWriteState,
  options: { holdersPerStatement: number; hasTimeLeft: () => boolean },
): Promise<WriteOutcome> {
  return db.transaction().execute(async (trx): Promise<WriteOutcome> => {
    if (!(await lockCalculationStep(trx, step))) return { kind: 'stale' };
    if (!options.hasTimeLeft()) return { kind: 'out-of-time' };
    const hash = resumedHash(state.guess.snapshot.hash, calculation.eventId);
    if (hash === null) return startOver(trx, calculation, step, {}, 'its snapshot hash cannot be resumed by this build');

    const size = firstPassHoldersPerStatement(options.holdersPerStatement);
    const seen = copyOf(state.guess);
    const progress = { after: state.after, written: state.written, amountUnits: state.amountUnits, percentUnits: state.percentUnits };
    let lastHolderId: string | null = state.after;
    for (let scanned = 0; lastHolderId !== null && scanned < options.holdersPerStatement && (scanned === 0 || options.hasTimeLeft()); ) {
      const holders = Math.min(size, options.holdersPerStatement - scanned);
      const chunk = await insertGuessedAllocations(trx, scopeOf(calculation, lastHolderId, holders), state.totals, {
        eventId: calculation.eventId,
        cuts: state.guess.cuts,
        linesPerRow: SNAPSHOT_LINES_PER_ROW,
      });
      scanned += holders;
      lastHolderId = chunk.lastHolderId;
      for (const lines of chunk.lines) hash.addLines(lines);
      seen.snapshot.holders += chunk.holders;
      seen.snapshot.tokens += chunk.tokens;
      for (const dimension of DIMENSIONS) {
        seen.floorSums[dimension] += chunk.floorSums[dimension];
        seen.given[dimension] += chunk.given[dimension];
        seen.keptBelow[dimension] += chunk.keptBelow[dimension];
        seen.keptAbove[dimension] += chunk.keptAbove[dimension];
      }
      progress.after = chunk.lastHolderId ?? progress.after;
      progress.written += chunk.holders;
      progress.amountUnits += chunk.floorSums.amount + chunk.given.amount;
      progress.percentUnits += chunk.floorSums.percent + chunk.given.percent;
    }
    seen.snapshot.hash = hash.save();
    const next: GuessedWriteState = { ...state, ...progress, seq: step.seq + 1, guess: seen };
    if (lastHolderId === null) return settle(trx, calculation, step, next);
    await saveWriteProgress(trx, calculation.eventId, storedCalculationState(next), next.written);
    return { kind: 'moved', state: next };
  });
}

/** A copy of a guess's tallies to add a step's chunks to. */
const copyOf = (guess: WriteGuess): WriteGuess => ({
  cuts: guess.cuts,
  floorSums: { ...guess.floorSums },
  given: { ...guess.given },
  keptBelow: { ...guess.keptBelow },
  keptAbove: { ...guess.keptAbove },
  snapshot: { ...guess.snapshot },
});

/**
 * Per dimension, the units to move from the guessed cut to the true one: the units left over
 * (total − Σ floor) less those given; > 0 to give to that many candidates below the guess, < 0
 * to take from that many at or above it. Null for a dimension whose true cut is beyond the band
 * (more to move than candidates kept on that side), or that would move more units than one
 * statement changes.
 */
export function unitsToMove(totals: Totals, guess: WriteGuess): Record<Dimension, bigint | null> {
  const move = (dimension: Dimension) => {
    const units = totals[dimension] - guess.floorSums[dimension] - guess.given[dimension];
    const kept = units >= 0n ? guess.keptBelow[dimension] : guess.keptAbove[dimension];
    const count = units >= 0n ? units : -units;
    return count <= kept && count <= BigInt(MAX_HOLDERS_PER_STATEMENT) ? units : null;
  };
  return { amount: move('amount'), percent: move('percent') };
}

/** Every row is in: checks the snapshot, moves the cuts to where they truly are and completes; or starts over searching first. */
async function settle(trx: Db, calculation: Calculation, step: CalculationStep, written: GuessedWriteState): Promise<WriteOutcome> {
  const { holders, snapshotHash } = concludeSnapshot(calculation, written.totals, written.guess.snapshot);
  const { amount, percent } = unitsToMove(written.totals, written.guess);
  if (amount === null || percent === null) {
    const report = Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, guessReport(written, dimension)]));
    return startOver(trx, calculation, step, { searchFirst: true }, 'its cut fell outside the band around its guess', report);
  }
  const moves = { amount, percent };
  for (const dimension of DIMENSIONS) {
    const units = moves[dimension];
    const moved = await settleCut(trx, calculation.eventId, dimension, written.guess.cuts[dimension], units);
    if (BigInt(moved) !== (units < 0n ? -units : units)) throw new Error(`cut settlement lost: ${moved} of ${units} units of ${dimension} moved`);
  }
  await deleteCutCandidates(trx, calculation.eventId);
  await completeCalculation(trx, calculation, {
    phase: 'write',
    totals: written.totals,
    holders,
    snapshotHash,
    cuts: { amount: null, percent: null },
    after: written.after,
    written: written.written,
    amountUnits: written.amountUnits + amount,
    percentUnits: written.percentUnits + percent,
  });
  return { kind: 'calculated' };
}

/** For the log when a guess missed: where it was, and what the write found. */
const guessReport = ({ totals, guess }: GuessedWriteState, dimension: Dimension) => {
  const { lo, at, hi } = guess.cuts[dimension];
  return {
    guess: `${at} in [${lo}, ${hi})`,
    left_over: (totals[dimension] - guess.floorSums[dimension]).toString(),
    given: guess.given[dimension].toString(),
    kept_below: guess.keptBelow[dimension].toString(),
    kept_above: guess.keptAbove[dimension].toString(),
  };
};

/** Drops the guessed rows by way of the reset step (a chunked delete), then calculates again. */
async function startOver(
  trx: Db,
  calculation: Calculation,
  step: CalculationStep,
  how: { searchFirst?: true },
  why: string,
  details: Record<string, unknown> = {},
): Promise<WriteOutcome> {
  logger.warn(`Guessed allocation write starts over: ${why}`, { event_id: calculation.eventId, ...details });
  const reset: CalculationState = { phase: 'reset', seq: step.seq + 1, ...how };
  await saveWriteProgress(trx, calculation.eventId, storedCalculationState(reset), 0);
  return { kind: 'moved', state: reset };
}
