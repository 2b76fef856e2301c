import type { Db } from '../db/client';
import { findAllocationOwner, lockAllocation } from '../distributions/allocations.repository';
import type { DistributionEventRow } from '../distributions/event';
import { lockEvent } from '../distributions/events.repository';
import { wrongStatus } from '../distributions/lifecycle-errors';
import { NotFoundError } from '../errors';
import type { WithdrawalRow } from './withdrawal';
import { findWithdrawalParents, lockWithdrawal } from './withdrawals.repository';

/*
 * The one lock order of everything that changes an event's withdrawals: the event's row, then the
 * allocation's, then the request's. The event's transitions (activate, complete, cancel) lock the
 * event's row first too and only then touch its allocations and requests, so a change to a
 * withdrawal and a transition of its event run one after the other, and whichever comes second
 * sees what the first did; nobody holds a later lock while waiting for an earlier one, so none
 * deadlock. The ids that lead to the event are read first without a lock: an allocation's event
 * and a request's event and allocation never change.
 *
 * A withdrawal changes only while its event is active: these answer 409 otherwise, under the lock.
 */

/**
 * Locks the event of the LP's allocation, then the allocation, for a new request.
 *
 * @example const { event, allocation } = await lockAllocationForRequest(trx, lp.id, allocationId);
 */
export async function lockAllocationForRequest(trx: Db, holderId: string, allocationId: string) {
  const owner = await findAllocationOwner(trx, allocationId);
  // Another holder's allocation is reported as absent: its existence is not theirs to learn.
  if (owner === undefined || owner.lp_token_holder_id !== holderId) throw new NotFoundError('Allocation', allocationId);
  const event = await lockActiveEvent(trx, owner.distribution_event_id, 'withdraw from');
  const allocation = await lockAllocation(trx, allocationId);
  if (allocation === undefined) throw new NotFoundError('Allocation', allocationId);
  return { event, allocation };
}

/**
 * Locks a request's event, its allocation and the request, in that order, for an admin's
 * decision; answers the request as it is under its lock.
 *
 * @example const withdrawal = await lockWithdrawalForDecision(trx, id, 'approve withdrawals of');
 */
export async function lockWithdrawalForDecision(trx: Db, withdrawalId: string, action: string): Promise<WithdrawalRow> {
  const parents = await findWithdrawalParents(trx, withdrawalId);
  if (parents === undefined) throw new NotFoundError('Withdrawal request', withdrawalId);
  await lockActiveEvent(trx, parents.distribution_event_id, action);
  await lockAllocation(trx, parents.distribution_allocation_id);
  const withdrawal = await lockWithdrawal(trx, withdrawalId);
  if (withdrawal === undefined) throw new NotFoundError('Withdrawal request', withdrawalId);
  return withdrawal;
}

async function lockActiveEvent(trx: Db, eventId: string, action: string): Promise<DistributionEventRow> {
  const event = await lockEvent(trx, eventId);
  if (event === undefined) throw new NotFoundError('Distribution event', eventId);
  if (event.status !== 'active') throw wrongStatus(action, event.status, ['active']);
  return event;
}
