import { sql } from 'kysely';
import type { Db } from '../db/client';
import type { DistributionEventStatus } from '../db/schema';
import { afterKey, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, keyInstant, type KeysetRows, readByKey } from '../db/keyset';
import { NO_ROWS, readBound } from '../db/result-size';
import { numeric, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

const allocation = tableWidths.distribution_allocations;

/** An allocation with its event's title, status and date, its project's name and its holder's. */
const allocationWidths = {
  ...pick(
    allocation,
    'id',
    'distribution_event_id',
    'project_id',
    'lp_token_holder_id',
    'lp_tokens_held',
    'ownership_percentage',
    'allocated_amount',
    'withdrawn_amount',
    'pending_amount',
    'available_amount',
    'status',
    'created_at',
  ),
  distribution_title: tableWidths.distribution_events.title,
  distribution_status: tableWidths.distribution_events.status,
  distribution_date: tableWidths.distribution_events.distribution_date,
  project_name: tableWidths.projects.name,
  holder_name: tableWidths.users.name,
  holder_email: tableWidths.users.email,
};
const allocationRow = readBound(allocationWidths, 1);
const allocationPage = readBound(allocationWidths);
const holderAllocationPage = readBound({ ...allocationWidths, created_at_key: instantKeyWidth });
/** The payment file's columns. */
const csvPage = readBound({
  ...pick(allocation, 'lp_token_holder_id', 'lp_tokens_held', 'ownership_percentage', 'allocated_amount', 'withdrawn_amount', 'pending_amount', 'available_amount'),
  holder_email: tableWidths.users.email,
});

export interface AllocationRow {
  id: string;
  distribution_event_id: string;
  distribution_title: string;
  distribution_status: DistributionEventStatus;
  distribution_date: Date;
  project_id: string;
  project_name: string;
  lp_token_holder_id: string;
  holder_name: string | null;
  /** Null: the holder has no e-mail anyone vouches for (see README, Conventions). */
  holder_email: string | null;
  lp_tokens_held: string;
  ownership_percentage: string;
  allocated_amount: string;
  withdrawn_amount: string;
  pending_amount: string;
  available_amount: string;
  status: 'allocated' | 'partially_withdrawn' | 'fully_withdrawn';
  created_at: Date;
}

function allocationsQuery(db: Db) {
  return db
    .selectFrom('distribution_allocations as a')
    .innerJoin('distribution_events as e', 'e.id', 'a.distribution_event_id')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .innerJoin('users as u', 'u.id', 'a.lp_token_holder_id')
    .select([
      'a.id',
      'a.distribution_event_id',
      'e.title as distribution_title',
      'e.status as distribution_status',
      'e.distribution_date',
      'a.project_id',
      'p.name as project_name',
      'a.lp_token_holder_id',
      'u.name as holder_name',
      'u.email as holder_email',
      'a.lp_tokens_held',
      'a.ownership_percentage',
      'a.allocated_amount',
      'a.withdrawn_amount',
      'a.pending_amount',
      'a.available_amount',
      'a.status',
      'a.created_at',
    ]);
}

export type HolderKey = { holder_id: string };

export const holderKeyOf = (row: { lp_token_holder_id: string }): HolderKey => ({ holder_id: row.lp_token_holder_id });

/** A page of an event's allocations in holder id order (optionally one holder's only), read in as many calls as its rows need. */
export function listEventAllocations(
  db: Db,
  eventId: string,
  page: { holderId?: string; after?: HolderKey; limit: number },
): KeysetRows<AllocationRow> {
  return readByKey(page, allocationPage.rowsPerCall, holderKeyOf, (after, limit) => {
    let query = allocationsQuery(db).where('a.distribution_event_id', '=', uuid(eventId));
    if (page.holderId !== undefined) query = query.where('a.lp_token_holder_id', '=', uuid(page.holderId));
    if (after !== undefined) query = query.where('a.lp_token_holder_id', '>', uuid(after.holder_id));
    return query.orderBy('a.lp_token_holder_id').limit(limit).execute();
  });
}

/** A page of one holder's allocations across events, newest first, read in as many calls as its rows need. */
export function listHolderAllocations(
  db: Db,
  holderId: string,
  page: { projectId?: string; after?: CreatedKey; limit: number },
): KeysetRows<AllocationRow & { created_at_key: string }> {
  return readByKey(page, holderAllocationPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = allocationsQuery(db)
      .select(instantKey('a.created_at').as('created_at_key'))
      .where('a.lp_token_holder_id', '=', uuid(holderId));
    if (page.projectId !== undefined) query = query.where('a.project_id', '=', uuid(page.projectId));
    if (after !== undefined) {
      query = query.where(afterKey(['a.created_at', 'a.id'], [keyInstant(after.created_at), uuid(after.id)]));
    }
    return query.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
  });
}

export async function findAllocation(db: Db, id: string): Promise<AllocationRow | undefined> {
  return allocationsQuery(db).where('a.id', '=', uuid(id)).executeTakeFirst();
}

/**
 * An allocation's event and holder, read without a lock: neither ever changes, and the event is
 * whose lock a withdrawal takes first (shared/withdrawals/withdrawal-locks.ts).
 */
export async function findAllocationOwner(db: Db, id: string) {
  return db
    .selectFrom('distribution_allocations')
    .select(['distribution_event_id', 'lp_token_holder_id'])
    .where('id', '=', uuid(id))
    .executeTakeFirst();
}

/** Locks one allocation row until the transaction ends: every withdrawal step goes through it, after its event's lock. */
export async function lockAllocation(db: Db, id: string) {
  return db
    .selectFrom('distribution_allocations')
    .selectAll()
    .where('id', '=', uuid(id))
    .forUpdate()
    .executeTakeFirst();
}

export interface AllocationDelta {
  available?: Decimal;
  pending?: Decimal;
  withdrawn?: Decimal;
}

/**
 * Moves amounts between available, pending and withdrawn, and derives the status from what has
 * been withdrawn. The table's CHECKs (no negative amount; allocated = withdrawn + pending +
 * available) are the last guard against a use case getting it wrong.
 */
export async function moveAllocationAmounts(db: Db, id: string, delta: AllocationDelta): Promise<void> {
  const zero = '0';
  const withdrawnAfter = sql`withdrawn_amount + ${numeric(delta.withdrawn ?? zero)}`;
  await sql`
    UPDATE distribution_allocations SET
      available_amount = available_amount + ${numeric(delta.available ?? zero)},
      pending_amount = pending_amount + ${numeric(delta.pending ?? zero)},
      withdrawn_amount = ${withdrawnAfter},
      status = CASE
        WHEN ${withdrawnAfter} = allocated_amount THEN 'fully_withdrawn'
        WHEN ${withdrawnAfter} > 0 THEN 'partially_withdrawn'
        ELSE 'allocated' END,
      updated_at = now()
    WHERE id = ${uuid(id)}`.execute(db);
}

/** The payment file's columns: an allocation row's holder, e-mail and amounts. */
export type AllocationCsvRow = Pick<
  AllocationRow,
  | 'lp_token_holder_id'
  | 'holder_email'
  | 'lp_tokens_held'
  | 'ownership_percentage'
  | 'allocated_amount'
  | 'withdrawn_amount'
  | 'pending_amount'
  | 'available_amount'
>;

/** The payment file's columns only, in holder id order, read in as many calls as its rows need. */
export function listAllocationsForCsv(db: Db, eventId: string, page: { after?: HolderKey; limit: number }): KeysetRows<AllocationCsvRow> {
  return readByKey(page, csvPage.rowsPerCall, holderKeyOf, (after, limit) => csvRows(db, eventId, after, limit));
}

async function csvRows(db: Db, eventId: string, after: HolderKey | undefined, limit: number): Promise<AllocationCsvRow[]> {
  let query = db
    .selectFrom('distribution_allocations as a')
    .innerJoin('users as u', 'u.id', 'a.lp_token_holder_id')
    .select([
      'a.lp_token_holder_id',
      'u.email as holder_email',
      'a.lp_tokens_held',
      'a.ownership_percentage',
      'a.allocated_amount',
      'a.withdrawn_amount',
      'a.pending_amount',
      'a.available_amount',
    ])
    .where('a.distribution_event_id', '=', uuid(eventId));
  if (after !== undefined) query = query.where('a.lp_token_holder_id', '>', uuid(after.holder_id));
  return query.orderBy('a.lp_token_holder_id').limit(limit).execute();
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  listEventAllocations: allocationPage,
  listHolderAllocations: holderAllocationPage,
  findAllocation: allocationRow,
  findAllocationOwner: readBound(pick(allocation, 'distribution_event_id', 'lp_token_holder_id'), 1),
  lockAllocation: readBound(allocation, 1),
  listAllocationsForCsv: csvPage,
  moveAllocationAmounts: NO_ROWS,
};
