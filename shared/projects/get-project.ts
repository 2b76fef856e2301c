import type { Db } from '../db/client';
import { NotFoundError } from '../errors';
import { type Project, toProject } from './project';
import { findProjectById } from './projects.repository';

export async function getProject(db: Db, id: string): Promise<Project> {
  const row = await findProjectById(db, id);
  if (row === undefined) throw new NotFoundError('Project', id);
  return toProject(row);
}
