import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import { numeric, timestamptz, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';
import { activityRequestColumns } from '../distributions/activity.repository';
import type { RequestMeta } from '../identity/caller';
import { HANDOFF_KINDS } from '../outbox/handoffs';

/** Every column: the API shows them all. */
const withdrawalRow = readBound(tableWidths.withdrawal_requests, 1);
const withdrawalPage = readBound({ ...tableWidths.withdrawal_requests, created_at_key: instantKeyWidth });

export type WithdrawalStatus = 'pending' | 'approved' | 'rejected' | 'paid';

/** A request is open until it is rejected or paid: its amount is held on its allocation. */
const OPEN_STATUSES: readonly WithdrawalStatus[] = ['pending', 'approved'];

/** A count and a sum over an event's requests: at most the event's total. */
const countAndSum = readBound({ requests: width.int4, amount: tableWidths.distribution_events.total_pending }, 1);

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

/** Open requests (pending or approved) of one allocation. */
export async function countOpenWithdrawals(db: Db, allocationId: string): Promise<number> {
  const row = await db
    .selectFrom('withdrawal_requests')
    .select((eb) => eb.fn.countAll<number>().as('open'))
    .where('distribution_allocation_id', '=', uuid(allocationId))
    .where('status', 'in', OPEN_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.open);
}

/** How many of the event's requests are approved and not yet paid, and their sum. */
export async function approvedUnpaidWithdrawals(db: Db, eventId: string): Promise<{ requests: number; amount: string }> {
  const { rows } = await sql<{ requests: number; amount: string }>`
    SELECT count(*)::int AS requests, coalesce(sum(amount), 0)::text AS amount
    FROM withdrawal_requests
    WHERE distribution_event_id = ${uuid(eventId)} AND status = 'approved'`.execute(db);
  const row = rows[0] as { requests: number; amount: string };
  return { requests: Number(row.requests), amount: row.amount };
}

export interface PendingRejection {
  adminId: string;
  reason: string;
  /** The audit row's `cause`: what rejected the requests, e.g. `distribution.complete`. */
  cause: string;
  request: RequestMeta;
}

/**
 * Rejects every pending request of the event in one statement, however many there are: each
 * request's hold goes back to its allocation's available amount, and each gets the activity row
 * and the audit row a rejection by the admin gets (decide-withdrawal.ts), and its
 * `withdrawal.rejected` domain event with the event's hand-off to EventBridge, as
 * recordDomainEvent writes them (shared/events/; its detail as withdrawalEventFields and the
 * catalog state it, `at_completion` true). Answers how many and their sum, which leaves the
 * event's total pending.
 */
export async function rejectPendingWithdrawals(db: Db, eventId: string, rejection: PendingRejection): Promise<{ requests: number; amount: string }> {
  const admin = uuid(rejection.adminId);
  const reason = sql`cast(${rejection.reason} as text)`;
  const requestColumns = activityRequestColumns(rejection.request);
  // Due for the relay at once, as recordDomainEvent's hand-offs are.
  const occurredAt = new Date();
  const { rows } = await sql<{ requests: number; amount: string }>`
    WITH rejected AS (
      UPDATE withdrawal_requests
      SET status = 'rejected', decided_by = ${admin}, decided_at = now(), decision_reason = ${reason}, updated_at = now()
      WHERE distribution_event_id = ${uuid(eventId)} AND status = 'pending'
      RETURNING id, distribution_event_id, distribution_allocation_id, project_id, lp_token_holder_id, amount
    ), released AS (
      UPDATE distribution_allocations a
      SET available_amount = a.available_amount + held.amount, pending_amount = a.pending_amount - held.amount, updated_at = now()
      FROM (SELECT distribution_allocation_id, sum(amount) AS amount FROM rejected GROUP BY distribution_allocation_id) held
      WHERE a.id = held.distribution_allocation_id
    ), activity AS (
      INSERT INTO distribution_activity_log
        (distribution_event_id, withdrawal_request_id, project_id, activity_type, performed_by, previous_status, new_status,
         changes_summary, ip_address, user_agent)
      SELECT distribution_event_id, id, project_id, 'withdrawal_rejected', ${admin}, 'pending', 'rejected',
        jsonb_build_object('amount', amount::text, 'reason', ${reason}),
        cast(${requestColumns.ip_address} as text), cast(${requestColumns.user_agent} as text)
      FROM rejected
    ), audit AS (
      INSERT INTO audit_admin_actions (admin_id, action, target, details)
      SELECT ${admin}, 'withdrawal.reject',
        jsonb_build_object('withdrawal_request_id', id::text, 'distribution_event_id', distribution_event_id::text),
        jsonb_build_object('previous_status', 'pending', 'new_status', 'rejected', 'amount', amount::text, 'reason', ${reason},
          'cause', cast(${rejection.cause} as text))
      FROM rejected
    ), told AS (
      SELECT gen_random_uuid() AS event_id, * FROM rejected
    ), events AS (
      INSERT INTO domain_events (id, type, subject_id, detail, occurred_at)
      SELECT event_id, 'withdrawal.rejected', id,
        jsonb_build_object('event_id', event_id, 'subject_id', id, 'occurred_at', cast(${occurredAt.toISOString()} as text),
          'project_id', project_id, 'distribution_event_id', distribution_event_id, 'allocation_id', distribution_allocation_id,
          'withdrawal_id', id, 'holder_id', lp_token_holder_id, 'amount', amount::text,
          'reason', ${reason}, 'rejected_by', ${admin}, 'at_completion', true),
        ${timestamptz(occurredAt)}
      FROM told
      RETURNING id, type, detail
    ), handoffs AS (
      INSERT INTO outbox_messages (kind, subject_id, destination, payload, next_attempt_at)
      SELECT cast(${HANDOFF_KINDS.publishDomainEvent} as text), id, 'eventbridge:put-events',
        jsonb_build_object('detail_type', type, 'detail', detail), ${timestamptz(occurredAt)}
      FROM events
    )
    SELECT count(*)::int AS requests, coalesce(sum(amount), 0)::text AS amount FROM rejected`.execute(db);
  const row = rows[0] as { requests: number; amount: string };
  return { requests: Number(row.requests), amount: row.amount };
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
  countOpenWithdrawals: readBound({ open: width.int8 }, 1),
  approvedUnpaidWithdrawals: countAndSum,
  rejectPendingWithdrawals: countAndSum,
  updateWithdrawal: withdrawalRow,
  listWithdrawals: withdrawalPage,
};
