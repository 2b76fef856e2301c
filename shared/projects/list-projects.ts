import type { Db } from '../db/client';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { toProject, toProjectDto } from './project';
import { listProjects } from './projects.repository';

/** Every project, newest first: how a caller finds a project's id again. */
export async function listAllProjects(db: Db, query: PageRequest) {
  const after = decodeCursor(query.cursor, createdKey);
  return readPage(listProjects(db, { after, limit: query.limit }), query.limit, (row) => toProjectDto(toProject(row)), createdKeyOf);
}
