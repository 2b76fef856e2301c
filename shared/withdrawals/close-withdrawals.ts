import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import type { DistributionEventRow } from '../distributions/event';
import { adjustEventTotals } from '../distributions/events.repository';
import { ConflictError } from '../errors';
import type { Caller, RequestMeta } from '../identity/caller';
import { approvedUnpaidWithdrawals, rejectPendingWithdrawals } from './withdrawals.repository';

/*
 * What completing an active event does to its open withdrawal requests, under the event's lock
 * and in the completion's transaction (withdrawal-locks.ts gives the order).
 *
 * Pending requests are rejected with the completion's reason: no money has moved for them, so an
 * LP's requests, however many, never keep an event open. Approved requests that are not paid yet
 * block the completion instead: approval is an admin's go-ahead to pay, and the transfer may be
 * on its way, so only an admin who knows may say "paid" (record the payment) or "not paid"
 * (reject it). Only admins approve, so no LP can hold an event open this way either.
 */

/** 409 while any request of the event is approved and not yet paid, naming how many and how much. */
export async function refuseWhileApprovedUnpaid(trx: Db, eventId: string): Promise<void> {
  const approved = await approvedUnpaidWithdrawals(trx, eventId);
  if (approved.requests === 0) return;
  const amount = new Decimal(approved.amount).toFixed(7);
  throw new ConflictError(
    `Approved withdrawal requests await their payment (${approved.requests}, ${amount} in all); record their payments or reject them first`,
    { approved_unpaid_requests: approved.requests, approved_unpaid_amount: amount },
  );
}

/**
 * Rejects every pending request of the event with the completion's reason, each audited as the
 * admin's rejection, and takes their sum off the event's total pending, which must then be zero.
 * Answers what it rejected, for the completion's own activity row.
 */
export async function rejectPendingAtCompletion(
  trx: Db,
  event: DistributionEventRow,
  admin: Caller,
  reason: string,
  meta: RequestMeta,
): Promise<{ requests: number; amount: Decimal }> {
  const rejected = await rejectPendingWithdrawals(trx, event.id, { adminId: admin.id, reason, cause: 'distribution.complete', request: meta });
  const amount = new Decimal(rejected.amount);
  if (rejected.requests > 0) await adjustEventTotals(trx, event.id, { pending: amount.negated() });
  const stillHeld = new Decimal(event.total_pending).minus(amount);
  if (!stillHeld.isZero()) {
    // Every open request was pending or approved, and approved ones refused the completion.
    throw new Error(`Event ${event.id} would complete with ${stillHeld.toFixed(7)} still pending`);
  }
  return { requests: rejected.requests, amount };
}
