import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { type ActivityType, recordDistributionActivity } from '../distributions/activity.repository';
import { moveAllocationAmounts } from '../distributions/allocations.repository';
import { adjustEventTotals } from '../distributions/events.repository';
import { ConflictError } from '../errors';
import { type NewDomainEvent, recordDomainEvent } from '../events/record-domain-event';
import type { Caller, RequestMeta } from '../identity/caller';
import { type WithdrawalRow, withdrawalEventFields } from './withdrawal';
import { lockWithdrawalForDecision } from './withdrawal-locks';
import { updateWithdrawal, type WithdrawalStatus } from './withdrawals.repository';

interface Decision {
  /** What is refused while the event is not active, e.g. `approve withdrawals of` (a distribution that is completed). */
  action: string;
  from: readonly WithdrawalStatus[];
  to: WithdrawalStatus;
  activityType: ActivityType;
  auditAction: string;
  reason?: string;
  paymentReference?: string;
  /** How the held amount moves on the allocation (and the event's totals). */
  move: (amount: Decimal) => { available?: Decimal; pending?: Decimal; withdrawn?: Decimal };
  /** The domain event that tells of it, from the request as decided. */
  told: (decided: WithdrawalRow, admin: Caller) => NewDomainEvent<'withdrawal.approved' | 'withdrawal.rejected' | 'withdrawal.paid'>;
}

/**
 * Applies an admin's decision to a withdrawal request of an active event, under the locks of its
 * event, its allocation and itself (withdrawal-locks.ts), moving the held amount and the event's
 * totals in the same transaction as the activity and audit rows.
 */
async function decide(db: Db, admin: Caller, withdrawalId: string, meta: RequestMeta, decision: Decision): Promise<WithdrawalRow> {
  return db.transaction().execute(async (trx) => {
    const withdrawal = await lockWithdrawalForDecision(trx, withdrawalId, decision.action);
    if (!decision.from.includes(withdrawal.status)) {
      throw new ConflictError(`The withdrawal request is ${withdrawal.status}; it must be ${decision.from.join(' or ')}`, {
        current_status: withdrawal.status,
      });
    }
    const amount = new Decimal(withdrawal.amount);
    const move = decision.move(amount);
    if (move.available !== undefined || move.pending !== undefined || move.withdrawn !== undefined) {
      await moveAllocationAmounts(trx, withdrawal.distribution_allocation_id, move);
      await adjustEventTotals(trx, withdrawal.distribution_event_id, { pending: move.pending, withdrawn: move.withdrawn });
    }
    const updated = await updateWithdrawal(trx, withdrawalId, {
      status: decision.to,
      ...(decision.to === 'paid' ? { paidBy: admin.id, paymentReference: decision.paymentReference } : {}),
      ...(withdrawal.decided_by === null || decision.to !== 'paid' ? { decidedBy: admin.id } : {}),
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
    });
    const summary = {
      amount: amount.toFixed(7),
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      ...(decision.paymentReference === undefined ? {} : { payment_reference: decision.paymentReference }),
    };
    await recordDistributionActivity(trx, {
      eventId: withdrawal.distribution_event_id,
      projectId: withdrawal.project_id,
      withdrawalRequestId: withdrawalId,
      activityType: decision.activityType,
      performedBy: admin.id,
      previousStatus: withdrawal.status,
      newStatus: decision.to,
      changesSummary: summary,
      request: meta,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: decision.auditAction,
      target: { withdrawal_request_id: withdrawalId, distribution_event_id: withdrawal.distribution_event_id },
      details: { previous_status: withdrawal.status, new_status: decision.to, ...summary },
    });
    await recordDomainEvent(trx, decision.told(updated, admin));
    return updated;
  });
}

/** Approves a pending request; the amount stays held until the payment is recorded. */
export const approveWithdrawal = (db: Db, admin: Caller, id: string, meta: RequestMeta) =>
  decide(db, admin, id, meta, {
    action: 'approve withdrawals of',
    from: ['pending'],
    to: 'approved',
    activityType: 'withdrawal_approved',
    auditAction: 'withdrawal.approve',
    move: () => ({}),
    told: (decided, by) => ({ type: 'withdrawal.approved', subjectId: id, detail: { ...withdrawalEventFields(decided), approved_by: by.id } }),
  });

/** Rejects a pending or approved (unpaid) request: the held amount is available again. */
export const rejectWithdrawal = (db: Db, admin: Caller, id: string, reason: string, meta: RequestMeta) =>
  decide(db, admin, id, meta, {
    action: 'reject withdrawals of',
    from: ['pending', 'approved'],
    to: 'rejected',
    activityType: 'withdrawal_rejected',
    auditAction: 'withdrawal.reject',
    reason,
    move: (amount) => ({ pending: amount.negated(), available: amount }),
    told: (decided, by) => ({
      type: 'withdrawal.rejected',
      subjectId: id,
      detail: { ...withdrawalEventFields(decided), reason, rejected_by: by.id, at_completion: false },
    }),
  });

/** Records the payment of an approved request: the held amount becomes withdrawn. */
export const recordWithdrawalPayment = (db: Db, admin: Caller, id: string, paymentReference: string, meta: RequestMeta) =>
  decide(db, admin, id, meta, {
    action: 'record withdrawal payments of',
    from: ['approved'],
    to: 'paid',
    activityType: 'payment_recorded',
    auditAction: 'withdrawal.record_payment',
    paymentReference,
    move: (amount) => ({ pending: amount.negated(), withdrawn: amount }),
    told: (decided, by) => ({
      type: 'withdrawal.paid',
      subjectId: id,
      detail: { ...withdrawalEventFields(decided), payment_reference: paymentReference, paid_by: by.id },
    }),
  });
