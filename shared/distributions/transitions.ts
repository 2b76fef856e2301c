import type { UpdateObject } from 'kysely';
import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { Database, DistributionEventStatus } from '../db/schema';
import { uuid } from '../db/sql-values';
import { Decimal } from '../decimal';
import { ConflictError, NotFoundError } from '../errors';
import { type NewDomainEvent, recordDomainEvent } from '../events/record-domain-event';
import type { Caller, RequestMeta } from '../identity/caller';
import { asText, DISTRIBUTION_AMOUNT } from '../quantities';
import { refuseWhileApprovedUnpaid, rejectPendingAtCompletion } from '../withdrawals/close-withdrawals';
import { type ActivityType, recordDistributionActivity } from './activity.repository';
import { type DistributionEvent, type DistributionEventRow, toDistributionEvent } from './event';
import { lockEvent, updateEvent } from './events.repository';
import { wrongStatus } from './lifecycle-errors';

interface Transition {
  verb: string;
  from: readonly DistributionEventStatus[];
  to: DistributionEventStatus;
  activityType: ActivityType;
  auditAction: string;
  /** Refuses the transition (by throwing) when the event is not ready for it; reads under the event's lock. */
  guard?: (trx: Db, event: DistributionEventRow) => Promise<void> | void;
  /** What the transition does besides the event's row, in its transaction; answers what to add to its summary. */
  effects?: (trx: Db, event: DistributionEventRow) => Promise<Record<string, unknown> | undefined>;
  changes: (admin: Caller) => UpdateObject<Database, 'distribution_events'>;
  summary?: Record<string, unknown>;
  /** The domain event that tells of it, from the event before and after, and what its effects answered. */
  told: (change: { before: DistributionEventRow; after: DistributionEventRow; admin: Caller; effects?: Record<string, unknown> }) => DistributionChange;
}

type DistributionChange = NewDomainEvent<'distribution.activated' | 'distribution.completed' | 'distribution.cancelled'>;

const amount = (value: string) => asText(DISTRIBUTION_AMOUNT, value);

/**
 * Locks the event, checks the transition is allowed, applies it with its activity and audit rows.
 * The event's lock comes first, before any of its allocations or withdrawal requests: the order
 * every withdrawal change takes too (shared/withdrawals/withdrawal-locks.ts).
 */
async function transition(db: Db, admin: Caller, eventId: string, meta: RequestMeta, spec: Transition): Promise<DistributionEvent> {
  return db.transaction().execute(async (trx) => {
    const event = await lockEvent(trx, eventId);
    if (event === undefined) throw new NotFoundError('Distribution event', eventId);
    if (!spec.from.includes(event.status)) throw wrongStatus(spec.verb, event.status, spec.from);
    await spec.guard?.(trx, event);
    const effects = await spec.effects?.(trx, event);
    const summary = spec.summary === undefined && effects === undefined ? undefined : { ...spec.summary, ...effects };
    const updated = await updateEvent(trx, eventId, { status: spec.to, ...spec.changes(admin) });
    await recordDistributionActivity(trx, {
      eventId,
      projectId: event.project_id,
      activityType: spec.activityType,
      performedBy: admin.id,
      previousStatus: event.status,
      newStatus: spec.to,
      changesSummary: summary,
      request: meta,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: spec.auditAction,
      target: { distribution_event_id: eventId, project_id: event.project_id },
      details: { previous_status: event.status, new_status: spec.to, ...summary },
    });
    await recordDomainEvent(trx, spec.told({ before: event, after: updated, admin, effects }));
    return toDistributionEvent(updated);
  });
}

/** Cancels an event that has not opened for withdrawals (draft, calculated, or failed). */
export const cancelDistributionEvent = (db: Db, admin: Caller, eventId: string, reason: string, meta: RequestMeta) =>
  transition(db, admin, eventId, meta, {
    verb: 'cancel',
    from: ['draft', 'calculated', 'failed'],
    to: 'cancelled',
    activityType: 'event_cancelled',
    auditAction: 'distribution.cancel',
    changes: (a) => ({ cancelled_by: uuid(a.id), cancelled_at: new Date(), cancellation_reason: reason }),
    summary: { cancellation_reason: reason },
    told: ({ before, admin: by }) => ({
      type: 'distribution.cancelled',
      subjectId: eventId,
      detail: {
        project_id: before.project_id,
        distribution_event_id: eventId,
        previous_status: before.status as 'draft' | 'calculated' | 'failed',
        reason,
        cancelled_by: by.id,
      },
    }),
  });

/** Opens a calculated event for withdrawals: the admin's approval of its allocations. */
export const activateDistributionEvent = (db: Db, admin: Caller, eventId: string, meta: RequestMeta) =>
  transition(db, admin, eventId, meta, {
    verb: 'activate',
    from: ['calculated'],
    to: 'active',
    activityType: 'event_activated',
    auditAction: 'distribution.activate',
    changes: (a) => ({ approved_by: uuid(a.id), approved_at: new Date() }),
    told: ({ after, admin: by }) => ({
      type: 'distribution.activated',
      subjectId: eventId,
      detail: { project_id: after.project_id, distribution_event_id: eventId, total_amount: amount(after.total_amount), activated_by: by.id },
    }),
  });

/**
 * Completes an active event: when everything allocated has been withdrawn, or early with a
 * reason. Its pending withdrawal requests are rejected with that reason in the same transaction,
 * so no LP can keep it open; approved requests not yet paid must be paid or rejected first
 * (shared/withdrawals/close-withdrawals.ts says why).
 */
export const completeDistributionEvent = (db: Db, admin: Caller, eventId: string, reason: string | undefined, meta: RequestMeta) =>
  transition(db, admin, eventId, meta, {
    verb: 'complete',
    from: ['active'],
    to: 'completed',
    activityType: 'event_completed',
    auditAction: 'distribution.complete',
    guard: async (trx, event) => {
      await refuseWhileApprovedUnpaid(trx, event.id);
      // Pending requests are not withdrawn either: rejecting them takes a reason too.
      const unwithdrawn = new Decimal(event.total_allocated).minus(event.total_withdrawn);
      if (!unwithdrawn.isZero() && reason === undefined) {
        throw new ConflictError(`${unwithdrawn.toFixed(7)} has not been withdrawn; give a reason to complete early`, {
          not_withdrawn: unwithdrawn.toFixed(7),
        });
      }
    },
    effects: async (trx, event) => {
      // Without a reason the guard found everything withdrawn, so nothing is pending.
      if (reason === undefined) return undefined;
      const rejected = await rejectPendingAtCompletion(trx, event, admin, reason, meta);
      return rejected.requests === 0 ? undefined : { rejected_requests: rejected.requests, rejected_amount: rejected.amount.toFixed(7) };
    },
    changes: () => ({ completed_at: new Date(), completion_reason: reason ?? null }),
    summary: reason === undefined ? undefined : { reason },
    told: ({ after, admin: by, effects }) => ({
      type: 'distribution.completed',
      subjectId: eventId,
      detail: {
        project_id: after.project_id,
        distribution_event_id: eventId,
        total_allocated: amount(after.total_allocated),
        total_withdrawn: amount(after.total_withdrawn),
        reason: reason ?? null,
        rejected_requests: Number(effects?.rejected_requests ?? 0),
        completed_by: by.id,
      },
    }),
  });
