import type { Db } from '../db/client';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { getProject } from '../projects/get-project';
import { type CashflowStatus, toCashflowDto } from './cashflow';
import { listProjectCashflows } from './cashflows.repository';

/** A project's cashflows, newest first, optionally in one status. */
export async function listCashflows(
  db: Db,
  projectId: string,
  query: PageRequest & { status?: CashflowStatus },
) {
  const after = decodeCursor(query.cursor, createdKey);
  await getProject(db, projectId);
  const rows = listProjectCashflows(db, projectId, { status: query.status }, { after, limit: query.limit });
  return readPage(rows, query.limit, toCashflowDto, createdKeyOf);
}
