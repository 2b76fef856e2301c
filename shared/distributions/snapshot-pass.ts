import type { Db } from '../db/client';
import { logger } from '../logger';
import { toUnits } from './apportionment';
import { type Calculation, CalculationFailure, scopeOf } from './calculation';
import { FIRST_HOLDER, readBalances } from './calculation.repository';
import type { CalculationState } from './calculation-state';
import { SnapshotHash } from './snapshot-hash';

const ONE_HUNDRED_PERCENT = 1_000_000_000n;

type SnapshotState = Extract<CalculationState, { phase: 'snapshot' }>;

/** The hash carried over from the last step, or null when it must start over (an incompatible build saved it). */
async function resumedHash(saved: string, eventId: string): Promise<SnapshotHash | null> {
  try {
    return await SnapshotHash.resume(saved);
  } catch (error) {
    logger.warn('Snapshot hash state cannot be resumed; the snapshot pass starts over', { event_id: eventId, error: (error as Error).message });
    return null;
  }
}

/**
 * One step of pass 1: the next chunk's balances added to Σ tokens, the holder count and the
 * snapshot hash. Returns the state that records them, or, after the last holder, the state of
 * the cut search with the snapshot's totals.
 */
export async function snapshotStep(db: Db, calculation: Calculation, state: SnapshotState, holdersPerRead: number): Promise<CalculationState> {
  const progress = state.progress ?? { after: FIRST_HOLDER, holders: 0, tokens: 0n, hash: '' };
  const hash = progress.hash === '' ? await SnapshotHash.start() : await resumedHash(progress.hash, calculation.eventId);
  if (hash === null) return { phase: 'snapshot' };

  const chunk = await readBalances(db, scopeOf(calculation, progress.after, holdersPerRead));
  let { tokens, holders } = progress;
  for (const { holderId, balance } of chunk.holdings) {
    hash.addHolding(holderId, balance);
    tokens += toUnits(balance);
    holders += 1;
  }
  if (chunk.lastHolderId !== null) {
    return { phase: 'snapshot', progress: { after: chunk.lastHolderId, holders, tokens, hash: hash.save() } };
  }
  if (holders === 0) {
    throw new CalculationFailure(`No LP token holders as of the distribution date ${calculation.recordDate.toISOString()}`);
  }
  return {
    phase: 'select',
    totals: { tokens, amount: toUnits(calculation.totalAmount), percent: ONE_HUNDRED_PERCENT },
    holders,
    snapshotHash: hash.digest(),
    searches: null,
  };
}
