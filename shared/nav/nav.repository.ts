import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterKey, instantKey, instantKeyWidth, keyInstant, readByKey } from '../db/keyset';
import { NO_ROWS, readBound, width } from '../db/result-size';
import { numeric, timestamptz, uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

const navRow = readBound(tableWidths.project_nav_history, 1);
const navPage = readBound({ ...tableWidths.project_nav_history, effective_at_key: instantKeyWidth, created_at_key: instantKeyWidth });
import type { NavEntryRow } from './nav-entry';

/**
 * A project's NAV entries in the order that decides which is in force: latest effective first,
 * and on a tie the later recorded (a correction) first. project_nav_history_in_force_idx.
 */
const newestFirst = (db: Db, projectId: string) =>
  db
    .selectFrom('project_nav_history')
    .selectAll()
    .where('project_id', '=', uuid(projectId))
    .orderBy('effective_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');

/**
 * The NAV entry in force at an instant: the latest effective at or before it (the later recorded
 * on a tie), or undefined when none was effective yet. The one definition of "the NAV at an
 * instant": NAV reads, distributions' snapshots and redemptions all use it.
 *
 * @example
 * const nav = await navInForce(trx, projectId, new Date());
 * if (nav === undefined) throw new RuleViolationError('The project has no NAV yet');
 * const value = new Decimal(nav.nav_per_token).times(tokens);
 */
export async function navInForce(db: Db, projectId: string, at: Date): Promise<NavEntryRow | undefined> {
  return newestFirst(db, projectId).where('effective_at', '<=', timestamptz(at)).limit(1).executeTakeFirst();
}

/** The latest effective entry, whatever its instant: what the project's current NAV mirrors. */
export async function latestNav(db: Db, projectId: string): Promise<NavEntryRow | undefined> {
  return newestFirst(db, projectId).limit(1).executeTakeFirst();
}

export type NavHistoryKey = { effective_at: string; created_at: string; id: string };

export const navKeyOf = (row: { effective_at_key: string; created_at_key: string; id: string }): NavHistoryKey => ({
  effective_at: row.effective_at_key,
  created_at: row.created_at_key,
  id: row.id,
});

/** A page of a project's NAV history in the in-force order, each row with its exact cursor key, read in as many calls as its rows need. */
export function listNavEntries(db: Db, projectId: string, page: { after?: NavHistoryKey; limit: number }) {
  return readByKey(page, navPage.rowsPerCall, navKeyOf, (after, limit) => {
    let query = newestFirst(db, projectId).select([
      instantKey('effective_at').as('effective_at_key'),
      instantKey('created_at').as('created_at_key'),
    ]);
    if (after !== undefined) {
      const { effective_at, created_at, id } = after;
      query = query.where(
        afterKey(['effective_at', 'created_at', 'id'], [keyInstant(effective_at), keyInstant(created_at), uuid(id)]),
      );
    }
    return query.limit(limit).execute();
  });
}

export interface NewNavEntry {
  projectId: string;
  navPerToken: Decimal;
  source: NavEntryRow['source'];
  effectiveAt: Date;
  updatedBy: string;
  notes: string | null;
}

export async function insertNavEntry(db: Db, entry: NewNavEntry): Promise<NavEntryRow> {
  return db
    .insertInto('project_nav_history')
    .values({
      project_id: uuid(entry.projectId),
      nav_per_token: numeric(entry.navPerToken),
      source: entry.source,
      effective_at: timestamptz(entry.effectiveAt),
      updated_by: uuid(entry.updatedBy),
      notes: entry.notes,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many of a project's entries are dated at or after an instant (a proposal's basis: dual-control/). */
export async function countNavEntriesFrom(db: Db, projectId: string, effectiveAt: Date): Promise<number> {
  const row = await db
    .selectFrom('project_nav_history')
    .select(sql<number>`count(*)::int`.as('entries'))
    .where('project_id', '=', uuid(projectId))
    .where('effective_at', '>=', timestamptz(effectiveAt))
    .executeTakeFirstOrThrow();
  return Number(row.entries);
}

export async function setCurrentNav(db: Db, projectId: string, navPerToken: string): Promise<void> {
  await db
    .updateTable('projects')
    .set((eb) => ({ current_nav_per_token: numeric(navPerToken), updated_at: eb.fn('now') }))
    .where('id', '=', uuid(projectId))
    .execute();
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  navInForce: navRow,
  latestNav: navRow,
  listNavEntries: navPage,
  insertNavEntry: navRow,
  countNavEntriesFrom: readBound({ entries: width.int4 }, 1),
  setCurrentNav: NO_ROWS,
};
