import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { recordDistributionActivity } from '../distributions/activity.repository';
import { lockAllocation, moveAllocationAmounts } from '../distributions/allocations.repository';
import { adjustEventTotals, findEventById } from '../distributions/events.repository';
import { wrongStatus } from '../distributions/lifecycle-errors';
import { NotFoundError, RuleViolationError } from '../errors';
import type { Caller } from '../http/caller';
import type { RequestMeta } from '../http/handler';
import type { WithdrawalRow } from './withdrawal';
import { insertWithdrawal } from './withdrawals.repository';

/**
 * The LP who owns an allocation asks to withdraw up to its available balance. The amount moves
 * from available to pending at once (a hold), under the allocation's row lock, so concurrent
 * requests can never take more than is available.
 */
export async function requestWithdrawal(
  db: Db,
  lp: Caller,
  allocationId: string,
  amount: Decimal,
  meta: RequestMeta,
): Promise<WithdrawalRow> {
  return db.transaction().execute(async (trx) => {
    const allocation = await lockAllocation(trx, allocationId);
    // Another holder's allocation is reported as absent: its existence is not theirs to learn.
    if (allocation === undefined || allocation.lp_token_holder_id !== lp.id) {
      throw new NotFoundError('Allocation', allocationId);
    }
    const event = await findEventById(trx, allocation.distribution_event_id);
    if (event === undefined) throw new NotFoundError('Distribution event', allocation.distribution_event_id);
    if (event.status !== 'active') throw wrongStatus('withdraw from', event.status, ['active']);
    const available = new Decimal(allocation.available_amount);
    if (amount.greaterThan(available)) {
      throw new RuleViolationError(`Only ${available.toFixed(7)} is available to withdraw`, {
        available_amount: available.toFixed(7),
        requested_amount: amount.toFixed(7),
      });
    }

    const withdrawal = await insertWithdrawal(trx, {
      allocationId,
      eventId: event.id,
      projectId: event.project_id,
      holderId: lp.id,
      amount,
    });
    await moveAllocationAmounts(trx, allocationId, { available: amount.negated(), pending: amount });
    await adjustEventTotals(trx, event.id, { pending: amount });
    await recordDistributionActivity(trx, {
      eventId: event.id,
      projectId: event.project_id,
      withdrawalRequestId: withdrawal.id,
      activityType: 'withdrawal_requested',
      performedBy: lp.id,
      newStatus: 'pending',
      changesSummary: { allocation_id: allocationId, amount: amount.toFixed(7) },
      request: meta,
    });
    return withdrawal;
  });
}
