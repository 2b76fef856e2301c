import { sql, type UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import type { Database, DistributionEventStatus } from '../db/schema';
import { numeric, timestamptz, uuid } from '../db/sql-values';
import type { Decimal } from '../decimal';
import type { DistributionEventRow } from './event';

export interface NewDistributionEvent {
  projectId: string;
  eventType: DistributionEventRow['event_type'];
  title: string;
  description: string | null;
  totalAmount: Decimal;
  distributionDate: Date;
  createdBy: string;
}

export async function insertEvent(db: Db, event: NewDistributionEvent): Promise<DistributionEventRow> {
  return db
    .insertInto('distribution_events')
    .values({
      project_id: uuid(event.projectId),
      event_type: event.eventType,
      title: event.title,
      description: event.description,
      total_amount: numeric(event.totalAmount),
      distribution_date: timestamptz(event.distributionDate),
      created_by: uuid(event.createdBy),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findEventById(db: Db, id: string): Promise<DistributionEventRow | undefined> {
  return db.selectFrom('distribution_events').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

/** Reads the event and locks it until the transaction ends: status changes are serialized on it. */
export async function lockEvent(db: Db, id: string): Promise<DistributionEventRow | undefined> {
  return db.selectFrom('distribution_events').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

export async function updateEvent(
  db: Db,
  id: string,
  changes: UpdateObject<Database, 'distribution_events'>,
): Promise<DistributionEventRow> {
  return db
    .updateTable('distribution_events')
    .set(changes)
    .set((eb) => ({ updated_at: eb.fn('now') }))
    .where('id', '=', uuid(id))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves the event's withdrawal totals; the table's CHECK refuses anything that would not add up. */
export async function adjustEventTotals(db: Db, id: string, delta: { pending?: Decimal; withdrawn?: Decimal }): Promise<void> {
  await db
    .updateTable('distribution_events')
    .set((eb) => ({
      ...(delta.pending === undefined ? {} : { total_pending: eb('total_pending', '+', numeric(delta.pending)) }),
      ...(delta.withdrawn === undefined ? {} : { total_withdrawn: eb('total_withdrawn', '+', numeric(delta.withdrawn)) }),
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', uuid(id))
    .execute();
}

/** A page of a project's events, newest distribution date first. */
export async function listProjectEvents(
  db: Db,
  projectId: string,
  page: { after?: { distribution_date: string; id: string }; limit: number },
): Promise<DistributionEventRow[]> {
  let query = db.selectFrom('distribution_events').selectAll().where('project_id', '=', uuid(projectId));
  if (page.after !== undefined) {
    const { distribution_date, id } = page.after;
    query = query.where(
      sql<boolean>`(distribution_date, id) < (${timestamptz(new Date(distribution_date))}, ${uuid(id)})`,
    );
  }
  return query.orderBy('distribution_date', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

export interface ProjectDistributionStats {
  total_events: number;
  total_distributed: string;
  total_withdrawn: string;
  total_pending: string;
}

/** Totals over a project's events that were not cancelled (one row, however many events). */
export async function projectStats(db: Db, projectId: string): Promise<ProjectDistributionStats> {
  const { rows } = await sql<ProjectDistributionStats>`
    SELECT count(*)::int AS total_events,
      coalesce(sum(total_amount), 0)::numeric(30, 7)::text AS total_distributed,
      coalesce(sum(total_withdrawn), 0)::numeric(30, 7)::text AS total_withdrawn,
      coalesce(sum(total_pending), 0)::numeric(30, 7)::text AS total_pending
    FROM distribution_events
    WHERE project_id = ${uuid(projectId)} AND status NOT IN ('cancelled', 'failed')`.execute(db);
  return rows[0] as ProjectDistributionStats;
}

/** Statuses whose record date is closed: the ledger may not change at or before it. */
export const RECORD_DATE_CLOSED: readonly DistributionEventStatus[] = ['calculating', 'calculated', 'active', 'completed'];

/** The latest record date of the project's distributions that closed the books, if any. */
export async function latestClosedRecordDate(db: Db, projectId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('distribution_events')
    .select((eb) => eb.fn.max('distribution_date').as('closed_until'))
    .where('project_id', '=', uuid(projectId))
    .where('status', 'in', RECORD_DATE_CLOSED)
    .executeTakeFirst();
  return row?.closed_until ?? null;
}
