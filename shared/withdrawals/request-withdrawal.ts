import { withdrawalLimits } from '../config';
import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { recordDistributionActivity } from '../distributions/activity.repository';
import { moveAllocationAmounts } from '../distributions/allocations.repository';
import { adjustEventTotals } from '../distributions/events.repository';
import { RuleViolationError } from '../errors';
import { requestApproval } from '../events/approvals';
import { recordDomainEvent } from '../events/record-domain-event';
import type { Caller, RequestMeta } from '../identity/caller';
import { asText, DISTRIBUTION_AMOUNT } from '../quantities';
import { type WithdrawalRow, withdrawalEventFields } from './withdrawal';
import { lockAllocationForRequest } from './withdrawal-locks';
import { countOpenWithdrawals, insertWithdrawal } from './withdrawals.repository';

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
    await refuseBeyondLimits(trx, allocationId, amount, available);

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
    const told = withdrawalEventFields(withdrawal);
    await recordDomainEvent(trx, { type: 'withdrawal.requested', subjectId: withdrawal.id, detail: told });
    await requestApproval(trx, {
      of: 'withdrawal',
      subjectId: withdrawal.id,
      projectId: event.project_id,
      summary: `Withdrawal of ${told.amount} awaits approval`,
      facts: {
        amount: told.amount,
        distribution: event.title,
        distribution_event_id: event.id,
        allocation_id: allocationId,
        available_after: asText(DISTRIBUTION_AMOUNT, available.minus(amount)),
        holder_id: lp.id,
      },
      whoDecides: 'any admin',
    });
    return withdrawal;
  });
}

/**
 * 422 for less than the minimum (unless it is everything still available, which would otherwise
 * be stranded) or for one open request more than an allocation may have.
 */
async function refuseBeyondLimits(trx: Db, allocationId: string, amount: Decimal, available: Decimal): Promise<void> {
  const { minimumAmount, maxOpenPerAllocation } = withdrawalLimits();
  if (amount.lessThan(minimumAmount) && !amount.equals(available)) {
    throw new RuleViolationError(`The minimum withdrawal is ${minimumAmount.toFixed(7)}, unless it takes everything available`, {
      minimum_amount: minimumAmount.toFixed(7),
      requested_amount: amount.toFixed(7),
      available_amount: available.toFixed(7),
    });
  }
  const open = await countOpenWithdrawals(trx, allocationId);
  if (open >= maxOpenPerAllocation) {
    throw new RuleViolationError(
      `An allocation may have at most ${maxOpenPerAllocation} open withdrawal requests; this one has ${open} awaiting a decision or a payment`,
      { max_open_requests: maxOpenPerAllocation, open_requests: open },
    );
  }
}
