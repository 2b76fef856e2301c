import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterKey, type CreatedKey, instantKey, keyInstant } from '../db/keyset';
import { numeric, uuid } from '../db/sql-values';
import type { Decimal } from '../decimal';

export interface AllocationRow {
  id: string;
  distribution_event_id: string;
  distribution_title: string;
  distribution_status: string;
  distribution_date: Date;
  project_id: string;
  project_name: string;
  lp_token_holder_id: string;
  holder_name: string | null;
  holder_email: string;
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

/** A page of an event's allocations in holder id order (optionally one holder's only). */
export async function listEventAllocations(
  db: Db,
  eventId: string,
  page: { holderId?: string; afterHolderId?: string; limit: number },
): Promise<AllocationRow[]> {
  let query = allocationsQuery(db).where('a.distribution_event_id', '=', uuid(eventId));
  if (page.holderId !== undefined) query = query.where('a.lp_token_holder_id', '=', uuid(page.holderId));
  if (page.afterHolderId !== undefined) query = query.where('a.lp_token_holder_id', '>', uuid(page.afterHolderId));
  return query.orderBy('a.lp_token_holder_id').limit(page.limit).execute();
}

/** A page of one holder's allocations across events, newest first. */
export async function listHolderAllocations(
  db: Db,
  holderId: string,
  page: { projectId?: string; after?: CreatedKey; limit: number },
): Promise<(AllocationRow & { created_at_key: string })[]> {
  let query = allocationsQuery(db)
    .select(instantKey('a.created_at').as('created_at_key'))
    .where('a.lp_token_holder_id', '=', uuid(holderId));
  if (page.projectId !== undefined) query = query.where('a.project_id', '=', uuid(page.projectId));
  if (page.after !== undefined) {
    query = query.where(afterKey(['a.created_at', 'a.id'], [keyInstant(page.after.created_at), uuid(page.after.id)]));
  }
  return query.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(page.limit).execute();
}

export async function findAllocation(db: Db, id: string): Promise<AllocationRow | undefined> {
  return allocationsQuery(db).where('a.id', '=', uuid(id)).executeTakeFirst();
}

/** Locks one allocation row until the transaction ends: every withdrawal step goes through it. */
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

export interface AllocationCsvRow {
  lp_token_holder_id: string;
  holder_email: string;
  lp_tokens_held: string;
  ownership_percentage: string;
  allocated_amount: string;
  withdrawn_amount: string;
  pending_amount: string;
  available_amount: string;
}

/** The payment file's columns only, in holder id order: lean rows keep Data API responses small. */
export async function listAllocationsForCsv(db: Db, eventId: string, page: { afterHolderId?: string; limit: number }): Promise<AllocationCsvRow[]> {
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
  if (page.afterHolderId !== undefined) query = query.where('a.lp_token_holder_id', '>', uuid(page.afterHolderId));
  return query.orderBy('a.lp_token_holder_id').limit(page.limit).execute();
}
