import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { readBound } from '../db/result-size';
import { numeric, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

/** Every column: the API shows them all. */
const withdrawalRow = readBound(tableWidths.withdrawal_requests, 1);
const withdrawalPage = readBound({ ...tableWidths.withdrawal_requests, created_at_key: instantKeyWidth });

export type WithdrawalStatus = 'pending' | 'approved' | 'rejected' | 'paid';

export async function insertWithdrawal(
  db: Db,
  request: { allocationId: string; eventId: string; projectId: string; holderId: string; amount: Decimal },
) {
  return db
    .insertInto('withdrawal_requests')
    .values({
      distribution_allocation_id: uuid(request.allocationId),
      distribution_event_id: uuid(request.eventId),
      project_id: uuid(request.projectId),
      lp_token_holder_id: uuid(request.holderId),
      amount: numeric(request.amount),
      requested_by: uuid(request.holderId),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A request's event and allocation, read without a lock: neither ever changes, and they are
 * whose locks a decision takes before the request's (shared/withdrawals/withdrawal-locks.ts).
 */
export async function findWithdrawalParents(db: Db, id: string) {
  return db
    .selectFrom('withdrawal_requests')
    .select(['distribution_event_id', 'distribution_allocation_id'])
    .where('id', '=', uuid(id))
    .executeTakeFirst();
}

export async function lockWithdrawal(db: Db, id: string) {
  return db.selectFrom('withdrawal_requests').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

export async function updateWithdrawal(
  db: Db,
  id: string,
  changes: { status: WithdrawalStatus; decidedBy?: string; reason?: string; paidBy?: string; paymentReference?: string },
) {
  return db
    .updateTable('withdrawal_requests')
    .set((eb) => ({
      status: changes.status,
      ...(changes.decidedBy === undefined ? {} : { decided_by: uuid(changes.decidedBy), decided_at: eb.fn('now') }),
      ...(changes.reason === undefined ? {} : { decision_reason: changes.reason }),
      ...(changes.paidBy === undefined
        ? {}
        : { paid_by: uuid(changes.paidBy), paid_at: eb.fn('now'), payment_reference: changes.paymentReference ?? null }),
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', uuid(id))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A page of withdrawal requests, newest first: one holder's, or everyone's, read in as many calls as its rows need. */
export function listWithdrawals(
  db: Db,
  filter: { holderId?: string; status?: WithdrawalStatus },
  page: { after?: CreatedKey; limit: number },
) {
  return readByKey(page, withdrawalPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('withdrawal_requests').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (filter.holderId !== undefined) query = query.where('lp_token_holder_id', '=', uuid(filter.holderId));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertWithdrawal: withdrawalRow,
  findWithdrawalParents: readBound(pick(tableWidths.withdrawal_requests, 'distribution_event_id', 'distribution_allocation_id'), 1),
  lockWithdrawal: withdrawalRow,
  updateWithdrawal: withdrawalRow,
  listWithdrawals: withdrawalPage,
};
