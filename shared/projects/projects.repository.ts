import type { Db } from '../db/client';
import type { ProjectRow, ProjectStatus } from '../db/schema';
import { readBound } from '../db/result-size';
import { uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';

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

const projectRow = readBound(tableWidths.projects, 1);

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertProject: projectRow,
  findProjectById: projectRow,
  lockProjectForLedger: projectRow,
};
