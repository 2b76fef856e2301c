import type { Db } from '../db/client';
import { numeric, uuid } from '../db/sql-values';
import { recordDomainEvent } from '../events/record-domain-event';
import { logger } from '../logger';
import { navInForce } from '../nav/nav.repository';
import { asText, DISTRIBUTION_AMOUNT, LP_TOKENS } from '../quantities';
import { recordDistributionActivity } from './activity.repository';
import { fromUnits, toUnits } from './apportionment';
import { type Calculation, scopeOf } from './calculation';
import { type CalculationStep, insertAllocations, lockCalculationStep, saveWriteProgress } from './calculation.repository';
import { storedCalculationState, type WriteState } from './calculation-state';

export type WriteOutcome = { kind: 'moved'; state: WriteState } | { kind: 'stale' } | { kind: 'calculated' } | { kind: 'out-of-time' };

/**
 * One step of the write pass: the next chunk's allocation rows, already final, inserted in one
 * transaction with the progress that records them, so a worker stopped at any point leaves
 * either both or neither. After the last holder the same transaction proves the totals and
 * marks the event calculated. 'out-of-time' when, once the event is locked, no time is left for
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
    const chunk = await insertAllocations(trx, scopeOf(calculation, state.after, options.holdersPerStatement), state.totals, {
      eventId: calculation.eventId,
      cuts: state.cuts,
    });
    const next: WriteState = {
      ...state,
      seq: step.seq + 1,
      after: chunk.lastHolderId ?? state.after,
      written: state.written + chunk.inserted,
      amountUnits: state.amountUnits + toUnits(chunk.amount),
      percentUnits: state.percentUnits + toUnits(chunk.percent),
    };
    if (chunk.lastHolderId === null) {
      await completeCalculation(trx, calculation, next);
      return { kind: 'calculated' };
    }
    await saveWriteProgress(trx, calculation.eventId, storedCalculationState(next), next.written);
    return { kind: 'moved', state: next };
  });
}

/** Proves the totals, then marks the event calculated with its snapshot and activity row. */
async function completeCalculation(trx: Db, calculation: Calculation, state: WriteState) {
  if (state.written !== state.holders || state.amountUnits !== state.totals.amount || state.percentUnits !== state.totals.percent) {
    throw new Error(
      `allocation totals do not reconcile: ${state.written}/${state.holders} rows, ` +
        `${state.amountUnits}/${state.totals.amount} amount units, ${state.percentUnits}/${state.totals.percent} percent units`,
    );
  }
  const nav = (await navInForce(trx, calculation.projectId, calculation.recordDate))?.nav_per_token ?? null;
  const totalTokens = fromUnits(state.totals.tokens);
  await trx
    .updateTable('distribution_events')
    .set((eb) => ({
      status: 'calculated',
      snapshot_date: calculation.recordDate,
      snapshot_total_lp_tokens: numeric(totalTokens),
      snapshot_holder_count: state.holders,
      snapshot_hash: state.snapshotHash,
      snapshot_nav: nav === null ? null : numeric(nav),
      total_allocated: numeric(calculation.totalAmount),
      holders_done: state.written,
      calculation_state: null,
      calculated_at: eb.fn('now'),
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', uuid(calculation.eventId))
    .execute();
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
