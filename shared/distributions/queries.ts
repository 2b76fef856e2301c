import * as z from '../zod';
import type { Db } from '../db/client';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Caller } from '../identity/caller';
import { fromJsonColumn } from '../db/json-columns';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, encodeCursor, PAGE_MAX_BYTES, type PageRequest, readPage, responseBytesOf } from '../http/cursor';
import { cursorInstant } from '../http/instants';
import { uuidField } from '../http/schemas';
import { findProjectById } from '../projects/projects.repository';
import { type ActivityRow, type ActivityScope, listActivity } from './activity.repository';
import { ALLOCATION_CSV_HEADER, toAllocationCsvLine, toAllocationDto } from './allocation';
import { holderKeyOf, listAllocationsForCsv, listEventAllocations, listHolderAllocations } from './allocations.repository';
import { type DistributionEvent, toDistributionEvent, toDistributionEventDto } from './event';
import { eventKeyOf, findEventById, listProjectEvents, projectStats } from './events.repository';
import { type ActivityDto, activityDetailsColumn, type ProjectDistributionStatsDto } from './schemas';

const dateKey = z.strictObject({ distribution_date: cursorInstant, id: uuidField });
const holderKey = z.strictObject({ holder_id: uuidField });

async function requireProject(db: Db, projectId: string): Promise<void> {
  if ((await findProjectById(db, projectId)) === undefined) throw new NotFoundError('Project', projectId);
}

export async function getDistributionEvent(db: Db, eventId: string): Promise<DistributionEvent> {
  const row = await findEventById(db, eventId);
  if (row === undefined) throw new NotFoundError('Distribution event', eventId);
  return toDistributionEvent(row);
}

export async function listProjectDistributions(db: Db, projectId: string, page: PageRequest) {
  const after = decodeCursor(page.cursor, dateKey);
  await requireProject(db, projectId);
  const rows = listProjectEvents(db, projectId, { after, limit: page.limit });
  return readPage(rows, page.limit, (row) => toDistributionEventDto(toDistributionEvent(row)), eventKeyOf);
}

export async function getProjectDistributionStats(db: Db, projectId: string): Promise<ProjectDistributionStatsDto> {
  await requireProject(db, projectId);
  return { project_id: projectId, ...(await projectStats(db, projectId)) };
}

/** An event's allocations: every holder's for an admin, only their own for an LP. */
export async function listDistributionAllocations(db: Db, caller: Caller, eventId: string, page: PageRequest) {
  const after = decodeCursor(page.cursor, holderKey);
  const rows = listEventAllocations(db, eventId, {
    holderId: caller.role === 'admin' ? undefined : caller.id,
    after,
    limit: page.limit,
  });
  const result = await readPage(rows, page.limit, toAllocationDto, holderKeyOf);
  // A row joins its event, so only an empty page needs to ask whether the event exists: one round trip fewer per page.
  if (result.items.length === 0) await getDistributionEvent(db, eventId);
  return result;
}

/** One LP's allocations across events: their own, or anyone's for an admin. */
export async function listLpAllocations(
  db: Db,
  caller: Caller,
  lpId: string,
  query: PageRequest & { projectId?: string },
) {
  if (caller.role !== 'admin' && caller.id !== lpId) {
    throw new ForbiddenError("LPs can only see their own allocations");
  }
  const after = decodeCursor(query.cursor, createdKey);
  const rows = listHolderAllocations(db, lpId, { projectId: query.projectId, after, limit: query.limit });
  return readPage(rows, query.limit, toAllocationDto, createdKeyOf);
}

const toActivityDto = ({ created_at_key: _key, ...row }: ActivityRow): ActivityDto => ({
  ...row,
  changes_summary: fromJsonColumn(activityDetailsColumn, row.changes_summary),
  metadata: fromJsonColumn(activityDetailsColumn, row.metadata),
  created_at: row.created_at.toISOString(),
});

export async function listDistributionActivity(db: Db, scope: ActivityScope, page: PageRequest) {
  const after = decodeCursor(page.cursor, createdKey);
  if ('eventId' in scope) await getDistributionEvent(db, scope.eventId);
  if ('projectId' in scope) await requireProject(db, scope.projectId);
  return readPage(listActivity(db, scope, { after, limit: page.limit }), page.limit, toActivityDto, createdKeyOf);
}

/**
 * One page of the payment file: up to `limit` holders in holder order, read in as many Data API
 * calls as their rows need, and fewer when the next line would not fit the function's response
 * (PAGE_MAX_BYTES). The first page starts with the header line; `nextCursor` continues after the
 * last holder.
 */
export async function allocationsCsvPage(db: Db, eventId: string, page: PageRequest): Promise<{ csv: string; nextCursor: string | null }> {
  const after = decodeCursor(page.cursor, holderKey);
  await getDistributionEvent(db, eventId);
  const lines = page.cursor === undefined ? [ALLOCATION_CSV_HEADER] : [];
  let bytes = lines.reduce((sum, line) => sum + responseBytesOf(`${line}\r\n`), 0);
  let last: string | undefined;
  let more = false;
  let read = 0;
  for await (const row of listAllocationsForCsv(db, eventId, { after, limit: page.limit })) {
    const line = toAllocationCsvLine(row);
    bytes += responseBytesOf(`${line}\r\n`);
    if (read > 0 && bytes > PAGE_MAX_BYTES) {
      more = true;
      break;
    }
    lines.push(line);
    last = row.lp_token_holder_id;
    read += 1;
    if (read === page.limit) {
      more = true;
      break;
    }
  }
  return {
    csv: lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`,
    nextCursor: more && last !== undefined ? encodeCursor({ holder_id: last }) : null,
  };
}
