import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { uuid, jsonb } from '../db/sql-values';
import { NotFoundError, RuleViolationError } from '../errors';
import type { Caller, RequestMeta } from '../identity/caller';
import { recordHandoff } from '../outbox/handoff';
import { lockProjectForUpdate } from '../projects/projects.repository';
import { calculationHandoff } from '../outbox/handoffs';
import { recordDistributionActivity } from './activity.repository';
import { type CalculationState, storedCalculationState } from './calculation/calculation-state';
import { type DistributionEvent, toDistributionEvent } from './event';
import { findEventProjectId, lockEvent, updateEvent } from './events.repository';
import { wrongStatus } from './lifecycle-errors';

/**
 * Moves a draft (or failed) event to `calculating` and closes the project's books up to its
 * record date; the hand-off to the allocation queue commits with it (the caller delivers it
 * after the commit, or the relay does). An event already `calculating` is returned unchanged
 * with a new hand-off: a lost message is recovered by asking again, and the worker is
 * idempotent. Calculated or later: 409.
 */
export async function requestCalculation(
  db: Db,
  admin: Caller,
  eventId: string,
  meta: RequestMeta,
  now: Date = new Date(),
): Promise<DistributionEvent> {
  return db.transaction().execute(async (trx) => {
    const projectId = await findEventProjectId(trx, eventId);
    if (projectId === undefined) throw new NotFoundError('Distribution event', eventId);
    // Serializes with LP token movements of the project (they take FOR SHARE): once this commits,
    // none can land at or before the record date.
    await lockProjectForUpdate(trx, projectId);
    const event = await lockEvent(trx, eventId);
    if (event === undefined) throw new NotFoundError('Distribution event', eventId);
    if (event.status === 'calculating') {
      await recordHandoff(trx, calculationHandoff(eventId), now);
      return toDistributionEvent(event);
    }
    if (event.status !== 'draft' && event.status !== 'failed') {
      throw wrongStatus('calculate', event.status, ['draft', 'failed']);
    }
    if (event.distribution_date > now) {
      throw new RuleViolationError(
        `The distribution date ${event.distribution_date.toISOString()} has not come yet; holdings are read as of it`,
        { distribution_date: event.distribution_date.toISOString() },
      );
    }
    const start: CalculationState = event.status === 'failed' ? { phase: 'reset' } : { phase: 'snapshot' };
    const updated = await updateEvent(trx, eventId, {
      status: 'calculating',
      calculation_state: jsonb(storedCalculationState(start)),
      calculation_requested_by: uuid(admin.id),
      calculation_requested_at: now,
      failure_reason: null,
      holders_done: 0,
    });
    await recordDistributionActivity(trx, {
      eventId,
      projectId: event.project_id,
      activityType: 'calculation_requested',
      performedBy: admin.id,
      previousStatus: event.status,
      newStatus: 'calculating',
      request: meta,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'distribution.calculate',
      target: { distribution_event_id: eventId, project_id: event.project_id },
      details: { previous_status: event.status },
    });
    await recordHandoff(trx, calculationHandoff(eventId), now);
    return toDistributionEvent(updated);
  });
}
