import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { recordDistributionActivity } from '../distributions/activity.repository';
import { moveAllocationAmounts } from '../distributions/allocations.repository';
import { adjustEventTotals } from '../distributions/events.repository';
import { RuleViolationError } from '../errors';
import type { Caller } from '../http/caller';
import type { RequestMeta } from '../http/handler';
import type { WithdrawalRow } from './withdrawal';
import { lockAllocationForRequest } from './withdrawal-locks';
import { insertWithdrawal } from './withdrawals.repository';

/**
 * The LP who owns an allocation asks to withdraw up to its available balance, while its event is
 * active. The amount moves from available to pending at once (a hold), under the event's and the
 * allocation's locks, so concurrent requests can never take more than is available nor land on
 * an event that is completing.
 */
export async function requestWithdrawal(
  db: Db,
  lp: Caller,
  allocationId: string,
  amount: Decimal,
  meta: RequestMeta,
): Promise<WithdrawalRow> {
  return db.transaction().execute(async (trx) => {
    const { event, allocation } = await lockAllocationForRequest(trx, lp.id, allocationId);
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
