import { sql, type UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import { afterKey, instantKey, instantKeyWidth, keyInstant, readByKey } from '../db/keyset';
import { NO_ROWS, readBound, width } from '../db/result-size';
import type { Database, DistributionEventStatus } from '../db/schema';
import { numeric, timestamptz, uuid } from '../db/sql-values';
import { namesOf, omit, pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';
import { DISTRIBUTION_SUMS, sqlType } from '../quantities';
import type { DistributionEventRow } from './event';
import type { CalculationState } from './calculation/calculation-state';

/**
 * An event as the API and the lifecycle read it: every column but the calculation's working
 * state (up to 24 KiB of JSON that the API never shows, which with the longest description and
 * reasons would pass the 64 KB a Data API row may take), and of that state only its phase and
 * holder count, for GET's `progress`. The calculation reads its state on its own
 * (calculation/calculation.repository.ts: findCalculationEvent).
 */
const eventColumnWidths = omit(tableWidths.distribution_events, 'calculation_state');
const eventColumns = namesOf(eventColumnWidths);
const progressWidths = { calculation_phase: width.ascii(8, 'text'), calculation_holders: width.ascii(11, 'text') };
const calculationPhase = sql<CalculationState['phase'] | null>`calculation_state->>'phase'`.as('calculation_phase');
const calculationHolders = sql<string | null>`calculation_state->>'holders'`.as('calculation_holders');

const eventRow = readBound({ ...eventColumnWidths, ...progressWidths }, 1);
/** A page of events: the event's columns and its exact sort key. */
const eventPage = readBound({ ...eventColumnWidths, ...progressWidths, distribution_date_key: instantKeyWidth });

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
    .returning(eventColumns)
    .returning([calculationPhase, calculationHolders])
    .executeTakeFirstOrThrow();
}

const selectEvent = (db: Db) => db.selectFrom('distribution_events').select(eventColumns).select([calculationPhase, calculationHolders]);

export async function findEventById(db: Db, id: string): Promise<DistributionEventRow | undefined> {
  return selectEvent(db).where('id', '=', uuid(id)).executeTakeFirst();
}

/** The project an event belongs to, read without a lock (to lock the project before the event). */
export async function findEventProjectId(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('distribution_events').select('project_id').where('id', '=', uuid(id)).executeTakeFirst();
  return row?.project_id;
}

/** Reads the event and locks it until the transaction ends: status changes are serialized on it. */
export async function lockEvent(db: Db, id: string): Promise<DistributionEventRow | undefined> {
  return selectEvent(db).where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
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
    .returning(eventColumns)
    .returning([calculationPhase, calculationHolders])
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

export type EventKey = { distribution_date: string; id: string };

export const eventKeyOf = (row: { distribution_date_key: string; id: string }): EventKey => ({ distribution_date: row.distribution_date_key, id: row.id });

/** A page of a project's events, newest distribution date first, read in as many calls as its rows need. */
export function listProjectEvents(db: Db, projectId: string, page: { after?: EventKey; limit: number }) {
  return readByKey(page, eventPage.rowsPerCall, eventKeyOf, (after, limit) => {
    let query = selectEvent(db)
      .select(instantKey('distribution_date').as('distribution_date_key'))
      .where('project_id', '=', uuid(projectId));
    if (after !== undefined) {
      query = query.where(afterKey(['distribution_date', 'id'], [keyInstant(after.distribution_date), uuid(after.id)]));
    }
    return query.orderBy('distribution_date', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

export interface ProjectDistributionStats {
  total_events: number;
  total_distributed: string;
  total_withdrawn: string;
  total_pending: string;
}

/** Totals over a project's events that were not cancelled (one row, however many events; DISTRIBUTION_SUMS holds their sums). */
export async function projectStats(db: Db, projectId: string): Promise<ProjectDistributionStats> {
  const sum = sql.raw(sqlType(DISTRIBUTION_SUMS));
  const { rows } = await sql<ProjectDistributionStats>`
    SELECT count(*)::int AS total_events,
      coalesce(sum(total_amount), 0)::${sum}::text AS total_distributed,
      coalesce(sum(total_withdrawn), 0)::${sum}::text AS total_withdrawn,
      coalesce(sum(total_pending), 0)::${sum}::text AS total_pending
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

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertEvent: eventRow,
  findEventById: eventRow,
  findEventProjectId: readBound({ project_id: width.uuid }, 1),
  lockEvent: eventRow,
  updateEvent: eventRow,
  listProjectEvents: eventPage,
  projectStats: readBound(
    {
      total_events: width.int4,
      total_distributed: width.quantity(DISTRIBUTION_SUMS),
      total_withdrawn: width.quantity(DISTRIBUTION_SUMS),
      total_pending: width.quantity(DISTRIBUTION_SUMS),
    },
    1,
  ),
  latestClosedRecordDate: readBound({ closed_until: tableWidths.distribution_events.distribution_date }, 1),
  adjustEventTotals: NO_ROWS,
};
