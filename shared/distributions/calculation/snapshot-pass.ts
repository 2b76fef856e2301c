import type { Db } from '../../db/client';
import { logger } from '../../logger';
import type { Totals } from './apportionment';
import { type Calculation, CalculationFailure, scopeOf } from './calculation';
import { type FirstPassChunk, type HistogramRequest, readFirstPass, type StateSave } from './calculation.repository';
import { SNAPSHOT_LINES_PER_ROW } from './calculation-limits';
import type { SnapshotTally } from './calculation-state';
import { SnapshotHash } from './snapshot-hash';

export const noHolders = (calculation: Calculation) =>
  new CalculationFailure(`No LP token holders as of the distribution date ${calculation.recordDate.toISOString()}`);

export const emptySnapshot = (): SnapshotTally => ({ holders: 0, tokens: 0n, hash: '' });

/** The hash carried over from the last step, or null when it must start over (an incompatible build saved it). */
export function resumedHash(saved: string, eventId: string): SnapshotHash | null {
  if (saved === '') return SnapshotHash.start();
  try {
    return SnapshotHash.resume(saved);
  } catch (error) {
    logger.warn('Snapshot hash state cannot be resumed; the pass that takes the snapshot starts over', { event_id: eventId, error: (error as Error).message });
    return null;
  }
}

/**
 * One chunk of the first pass: its histograms and Σ floor, with its balances added to the
 * snapshot (count, Σ, hash); `save` rides in its statement (readFirstPass). Null when the hash so
 * far cannot be resumed: the pass starts over.
 */
export async function readFirstPassChunk(
  db: Db,
  calculation: Calculation,
  at: { after: string; size: number; totals: Totals; snapshot: SnapshotTally },
  requests: readonly HistogramRequest[],
  save: StateSave | null,
): Promise<{ chunk: FirstPassChunk; snapshot: SnapshotTally } | null> {
  const hash = resumedHash(at.snapshot.hash, calculation.eventId);
  if (hash === null) return null;
  const chunk = await readFirstPass(db, scopeOf(calculation, at.after, at.size), at.totals, requests, SNAPSHOT_LINES_PER_ROW, save);
  for (const lines of chunk.lines) hash.addLines(lines);
  return {
    chunk,
    snapshot: { holders: at.snapshot.holders + chunk.holders, tokens: at.snapshot.tokens + chunk.tokens, hash: hash.save() },
  };
}

/** The snapshot once the first pass is complete: its balances must add up to the tokens in issue. */
export function concludeSnapshot(calculation: Calculation, totals: Totals, snapshot: SnapshotTally) {
  if (snapshot.holders === 0) throw noHolders(calculation);
  if (snapshot.tokens !== totals.tokens) {
    throw new CalculationFailure(
      `The holders' balances as of ${calculation.recordDate.toISOString()} add up to ${snapshot.tokens} units, ` +
        `not the ${totals.tokens} in issue: the ledger changed during the calculation`,
    );
  }
  return { holders: snapshot.holders, snapshotHash: SnapshotHash.resume(snapshot.hash).digest() };
}
