import type { Db } from '../../db/client';
import { recordDomainEvent } from '../../events/record-domain-event';
import { logger } from '../../logger';
import { navInForce } from '../../nav/nav.repository';
import { asText, DISTRIBUTION_AMOUNT, LP_TOKENS } from '../../quantities';
import { recordDistributionActivity } from '../activity.repository';
import { addCandidates, type Dimension, fromUnits } from './apportionment';
import { type Calculation, scopeOf } from './calculation';
import { addLeftoverUnits, type CalculationStep, insertAllocations, lockCalculationStep, markEventCalculated, saveWriteProgress } from './calculation.repository';
import { type CalculationState, type PendingGather, storedCalculationState, type WriteState } from './calculation-state';

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];
const NO_GATHERS: Record<Dimension, PendingGather | null> = { amount: null, percent: null };

export type WriteOutcome = { kind: 'moved'; state: CalculationState } | { kind: 'stale' } | { kind: 'calculated' } | { kind: 'out-of-time' };

/**
 * One step of the write pass: the next chunk's allocation rows inserted in one transaction with
 * the progress that records them, so a worker stopped at any point leaves either both or
 * neither. The rows are final but for the unit of a cut still being gathered (`gathers`): the
 * step keeps the chunk's candidates with the state. After the last holder the same transaction
 * gives those units to the candidates that win them, proves the totals and marks the event
 * calculated. 'out-of-time' when, once the event is locked, no time is left for
 * the insert (the transaction then ends having changed nothing).
 */
export async function writeStep(
  db: Db,
  calculation: Calculation,
  step: CalculationStep,
  state: WriteState,
  options: { holdersPerStatement: number; hasTimeLeft: () => boolean },
): Promise<WriteOutcome> {
  return db.transaction().execute(async (trx): Promise<WriteOutcome> => {
    if (!(await lockCalculationStep(trx, step))) return { kind: 'stale' };
    // Taking the lock may have waited on another worker's transaction: the insert needs its own time.
    if (!options.hasTimeLeft()) return { kind: 'out-of-time' };
    const gathers = state.gathers ?? NO_GATHERS;
    const chunk = await insertAllocations(trx, scopeOf(calculation, state.after, options.holdersPerStatement), state.totals, {
      eventId: calculation.eventId,
      cuts: state.cuts,
      gathers,
    });
    const gathered = (dimension: Dimension): PendingGather | null => {
      const gather = gathers[dimension];
      if (gather === null) return null;
      const best = addCandidates({ kind: 'gather', best: gather.best }, chunk.candidates.get(dimension) ?? [], gather.need).best;
      return { ...gather, best };
    };
    const next: WriteState = {
      ...state,
      ...(state.gathers === undefined ? {} : { gathers: { amount: gathered('amount'), percent: gathered('percent') } }),
      seq: step.seq + 1,
      after: chunk.lastHolderId ?? state.after,
      written: state.written + chunk.inserted,
      amountUnits: state.amountUnits + chunk.amountUnits,
      percentUnits: state.percentUnits + chunk.percentUnits,
    };
    // Every holder of the snapshot written: what is left after the cursor holds nothing as of the record date.
    if (chunk.lastHolderId === null || next.written === state.holders) {
      await completeCalculation(trx, calculation, next);
      return { kind: 'calculated' };
    }
    await saveWriteProgress(trx, calculation.eventId, storedCalculationState(next), next.written);
    return { kind: 'moved', state: next };
  });
}

/** Gives the gathered units, proves the totals, then marks the event calculated with its snapshot and activity row. */
export async function completeCalculation(trx: Db, calculation: Calculation, written: WriteState) {
  const state = { ...written };
  for (const dimension of DIMENSIONS) {
    const gather = written.gathers?.[dimension] ?? null;
    if (gather === null) continue;
    const winners = gather.best.slice(0, Number(gather.need)).map((candidate) => candidate.holderId);
    const given = winners.length === Number(gather.need) ? await addLeftoverUnits(trx, calculation.eventId, dimension, winners) : 0;
    if (given !== Number(gather.need)) throw new Error(`cut search lost: ${given} of ${gather.need} units of ${dimension} given`);
    if (dimension === 'amount') state.amountUnits += gather.need;
    else state.percentUnits += gather.need;
  }
  if (state.written !== state.holders || state.amountUnits !== state.totals.amount || state.percentUnits !== state.totals.percent) {
    throw new Error(
      `allocation totals do not reconcile: ${state.written}/${state.holders} rows, ` +
        `${state.amountUnits}/${state.totals.amount} amount units, ${state.percentUnits}/${state.totals.percent} percent units`,
    );
  }
  const nav = (await navInForce(trx, calculation.projectId, calculation.recordDate))?.nav_per_token ?? null;
  const totalTokens = fromUnits(state.totals.tokens);
  await markEventCalculated(trx, calculation.eventId, {
    recordDate: calculation.recordDate,
    totalTokens,
    holders: state.holders,
    snapshotHash: state.snapshotHash,
    nav,
    totalAllocated: calculation.totalAmount,
  });
  await recordDistributionActivity(trx, {
    eventId: calculation.eventId,
    projectId: calculation.projectId,
    activityType: 'allocations_calculated',
    performedBy: calculation.requestedBy,
    previousStatus: 'calculating',
    newStatus: 'calculated',
    changesSummary: {
      total_lp_holders: state.holders,
      total_lp_tokens: totalTokens.toFixed(7),
      total_allocated: calculation.totalAmount.toFixed(7),
      snapshot_date: calculation.recordDate.toISOString(),
      snapshot_hash: state.snapshotHash,
    },
  });
  await recordDomainEvent(trx, {
    type: 'distribution.calculated',
    subjectId: calculation.eventId,
    detail: {
      project_id: calculation.projectId,
      distribution_event_id: calculation.eventId,
      total_amount: asText(DISTRIBUTION_AMOUNT, calculation.totalAmount),
      total_lp_tokens: asText(LP_TOKENS, totalTokens),
      holder_count: state.holders,
      snapshot_date: calculation.recordDate.toISOString(),
      snapshot_hash: state.snapshotHash,
    },
  });
  logger.info('Allocations calculated', { event_id: calculation.eventId, holders: state.holders });
}
