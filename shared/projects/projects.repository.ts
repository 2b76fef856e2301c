import type { Db } from '../db/client';
import type { ProjectRow, ProjectStatus } from '../db/schema';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { NO_ROWS, readBound } from '../db/result-size';
import { numeric, uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

export async function insertProject(
  db: Db,
  project: { name: string; status: ProjectStatus; createdBy: string },
): Promise<ProjectRow> {
  return db
    .insertInto('projects')
    .values({ name: project.name, status: project.status, created_by: uuid(project.createdBy) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProjectById(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

/**
 * Reads the project with a shared lock: LP token movements take it, so they run side by side
 * but wait for (and are then refused by) a distribution closing the books on the project.
 */
export async function lockProjectForLedger(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', uuid(id)).forShare().executeTakeFirst();
}

/**
 * Reads the project and locks its row (FOR NO KEY UPDATE) until the transaction ends, for a
 * write that sets a total on it from what was committed before: two issues of LP tokens (the
 * tokens issued) or two NAV entries (the current NAV) take turns, and the LP token movements
 * that share the row (lockProjectForLedger) wait for it. A request to calculate a distribution
 * takes it too, to close the books up to its record date.
 */
export async function lockProjectForUpdate(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', uuid(id)).forNoKeyUpdate().executeTakeFirst();
}

/** Adds an issue to the tokens the project has issued (lock it first with lockProjectForUpdate). */
export async function addIssuedTokens(db: Db, id: string, amount: Decimal): Promise<void> {
  await db
    .updateTable('projects')
    .set((eb) => ({ lp_tokens_issued: eb('lp_tokens_issued', '+', numeric(amount)) }))
    .where('id', '=', uuid(id))
    .execute();
}

/** A page of projects, newest first, each with its exact cursor key, read in as many calls as its rows need. */
export function listProjects(db: Db, page: { after?: CreatedKey; limit: number }) {
  return readByKey(page, projectPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('projects').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

const projectRow = readBound(tableWidths.projects, 1);
const projectPage = readBound({ ...tableWidths.projects, created_at_key: instantKeyWidth });

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertProject: projectRow,
  findProjectById: projectRow,
  lockProjectForLedger: projectRow,
  lockProjectForUpdate: projectRow,
  addIssuedTokens: NO_ROWS,
  listProjects: projectPage,
};
