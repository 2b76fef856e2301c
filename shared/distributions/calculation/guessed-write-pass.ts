import { MAX_HOLDERS_PER_STATEMENT } from '../../config';
import type { Db } from '../../db/client';
import { logger } from '../../logger';
import type { Band, Dimension, Totals } from './apportionment';
import { type Calculation, scopeOf } from './calculation';
import { type CalculationStep, FIRST_HOLDER, lockCalculationStep, saveWriteProgress } from './calculation.repository';
import { firstPassHoldersPerStatement, SNAPSHOT_LINES_PER_ROW } from './calculation-limits';
import { type CalculationState, type GuessedWriteState, storedCalculationState, type WriteGuess } from './calculation-state';
import { deleteCutCandidates, estimateCutBands, giveCandidatesTheirUnit, insertGuessedAllocations } from './guessed-cut.repository';
import { SnapshotHash } from './snapshot-hash';
import { concludeSnapshot, emptySnapshot } from './snapshot-pass';
import { completeCalculation, type WriteOutcome } from './write-pass';

/**
 * Writing before the cut is known. Searching for the cut first costs a read of every holder
 * before the write reads them all again (about a sixth of the write at 100,000 holders). Instead,
 * the calculation estimates from a sample where the cut falls, and writes every row with the
 * extra unit for the remainders above that band; the holders within it are kept as candidates
 * (distribution_cut_candidates). The write pass also takes the snapshot and sums the floors, so
 * once the last row is in, the units left over are known, and with them how many of the
 * candidates the true cut reaches: they get their unit, in (remainder desc, holder id asc) order,
 * in the transaction that completes the calculation. Every row is written once.
 *
 * When the true cut falls outside the band (the sample misled: holdings whose remainders cluster,
 * or ids that are not random), the rows are dropped and the calculation starts over searching
 * first (`reset` with `searchFirst`): the estimate decides how fast, never which holders get a unit.
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
 * The band's reach on either side of the cut's rank in the sample, in √sampled: the sample's
 * leftover units and its count above any point each vary by at most ½·√sampled, so 3·√sampled
 * is three of the worst case's standard deviations, and about ten for evenly spread remainders.
 */
export const BAND_SPREAD = 3;

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];
const zeroes = (): Record<Dimension, bigint> => ({ amount: 0n, percent: 0n });

/** The state a guessed write starts from: the cut bands estimated from a sample of the holders. */
export async function startGuessedWrite(db: Db, calculation: Calculation, totals: Totals, holdersEstimate: number): Promise<GuessedWriteState> {
  const sample = scopeOf(calculation, FIRST_HOLDER, sampledHolders(holdersEstimate));
  const bands = await estimateCutBands(db, sample, totals, BAND_SPREAD);
  return {
    phase: 'write',
    totals,
    guess: { bands, floorSums: zeroes(), above: zeroes(), candidates: zeroes(), snapshot: emptySnapshot() },
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
    const hash = await resumedHash(state.guess.snapshot.hash);
    if (hash === null) return startOver(trx, calculation, step, {}, 'its snapshot hash cannot be resumed by this build');

    const size = firstPassHoldersPerStatement(options.holdersPerStatement);
    const guess = { ...state.guess, floorSums: { ...state.guess.floorSums }, above: { ...state.guess.above }, candidates: { ...state.guess.candidates } };
    const snapshot = { ...guess.snapshot };
    let next: GuessedWriteState = { ...state, seq: step.seq + 1 };
    let lastHolderId: string | null = state.after;
    for (let scanned = 0; lastHolderId !== null && scanned < options.holdersPerStatement && (scanned === 0 || options.hasTimeLeft()); ) {
      const holders = Math.min(size, options.holdersPerStatement - scanned);
      const chunk = await insertGuessedAllocations(trx, scopeOf(calculation, lastHolderId, holders), state.totals, {
        eventId: calculation.eventId,
        bands: state.guess.bands,
        linesPerRow: SNAPSHOT_LINES_PER_ROW,
      });
      scanned += holders;
      lastHolderId = chunk.lastHolderId;
      for (const lines of chunk.lines) hash.addLines(lines);
      snapshot.holders += chunk.holders;
      snapshot.tokens += chunk.tokens;
      for (const dimension of DIMENSIONS) {
        guess.floorSums[dimension] += chunk.floorSums[dimension];
        guess.above[dimension] += chunk.above[dimension];
        guess.candidates[dimension] += chunk.candidates[dimension];
      }
      next = {
        ...next,
        after: chunk.lastHolderId ?? next.after,
        written: next.written + chunk.holders,
        amountUnits: next.amountUnits + chunk.floorSums.amount + chunk.above.amount,
        percentUnits: next.percentUnits + chunk.floorSums.percent + chunk.above.percent,
      };
    }
    next = { ...next, guess: { ...guess, snapshot: { ...snapshot, hash: hash.save() } } };
    if (lastHolderId === null) return settle(trx, calculation, step, next);
    await saveWriteProgress(trx, calculation.eventId, storedCalculationState(next), next.written);
    return { kind: 'moved', state: next };
  });
}

async function resumedHash(saved: string): Promise<SnapshotHash | null> {
  if (saved === '') return SnapshotHash.start();
  try {
    return await SnapshotHash.resume(saved);
  } catch {
    return null;
  }
}

/**
 * How many candidates of each dimension the true cut reaches: the units left over (total − Σ
 * floor) less those given above the band; null for a dimension whose cut is outside the band
 * (fewer than none, or more than the candidates), or whose units are more than one statement gives.
 */
export function candidatesReached(totals: Totals, guess: WriteGuess): Record<Dimension, bigint | null> {
  const reached = (dimension: Dimension) => {
    const need = totals[dimension] - guess.floorSums[dimension] - guess.above[dimension];
    return need >= 0n && need <= guess.candidates[dimension] && need <= BigInt(MAX_HOLDERS_PER_STATEMENT) ? need : null;
  };
  return { amount: reached('amount'), percent: reached('percent') };
}

/** Every row is in: checks the snapshot, gives the reached candidates their unit and completes; or starts over searching first. */
async function settle(trx: Db, calculation: Calculation, step: CalculationStep, written: GuessedWriteState): Promise<WriteOutcome> {
  const { holders, snapshotHash } = await concludeSnapshot(calculation, written.totals, written.guess.snapshot);
  const reached = candidatesReached(written.totals, written.guess);
  if (reached.amount === null || reached.percent === null) {
    return startOver(trx, calculation, step, { searchFirst: true }, 'its cut fell outside the estimated band', {
      ...Object.fromEntries(DIMENSIONS.map((d) => [d, describe(d, written)])),
    });
  }
  for (const dimension of DIMENSIONS) {
    const need = reached[dimension] as bigint;
    const given = await giveCandidatesTheirUnit(trx, calculation.eventId, dimension, need);
    if (BigInt(given) !== need) throw new Error(`cut settlement lost: ${given} of ${need} units of ${dimension} given`);
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
    amountUnits: written.amountUnits + (reached.amount ?? 0n),
    percentUnits: written.percentUnits + (reached.percent ?? 0n),
  });
  return { kind: 'calculated' };
}

const describe = (dimension: Dimension, { totals, guess }: GuessedWriteState) => ({
  band: bandText(guess.bands[dimension]),
  left_over: (totals[dimension] - guess.floorSums[dimension]).toString(),
  above_band: guess.above[dimension].toString(),
  candidates: guess.candidates[dimension].toString(),
});

const bandText = (band: Band) => `[${band.lo}, ${band.hi})`;

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
