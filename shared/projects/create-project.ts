import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { Caller } from '../identity/caller';
import { type Project, toProject } from './project';
import { insertProject } from './projects.repository';
import type { CreateProjectInput } from './schemas';

/** Creates a project and its audit row in one transaction. */
export async function createProject(db: Db, admin: Caller, input: CreateProjectInput): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const row = await insertProject(trx, { ...input, createdBy: admin.id });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'project.create',
      target: { project_id: row.id },
      details: { name: row.name, status: row.status },
    });
    return toProject(row);
  });
}
