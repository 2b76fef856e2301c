import { z } from 'zod';
import type { Db } from '../db/client';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Caller } from '../http/caller';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, encodeCursor, pageOf } from '../http/cursor';
import { findProjectById } from '../projects/projects.repository';
import { type ActivityRow, type ActivityScope, listActivity } from './activity.repository';
import { ALLOCATION_CSV_HEADER, toAllocationCsvLine, toAllocationDto } from './allocation';
import { listAllocationsForCsv, listEventAllocations, listHolderAllocations } from './allocations.repository';
import { type DistributionEvent, toDistributionEvent, toDistributionEventDto } from './event';
import { findEventById, listProjectEvents, projectStats } from './events.repository';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

const dateKey = z.object({ distribution_date: z.iso.datetime(), id: z.uuid() });
const holderKey = z.object({ holder_id: z.uuid() });

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
  const rows = await listProjectEvents(db, projectId, { after, limit: page.limit });
  return pageOf(rows, page.limit, (row) => toDistributionEventDto(toDistributionEvent(row)), (row) => ({
    distribution_date: row.distribution_date.toISOString(),
    id: row.id,
  }));
}

export async function getProjectDistributionStats(db: Db, projectId: string) {
  await requireProject(db, projectId);
  return { project_id: projectId, ...(await projectStats(db, projectId)) };
}

/** An event's allocations: every holder's for an admin, only their own for an LP. */
export async function listDistributionAllocations(db: Db, caller: Caller, eventId: string, page: PageRequest) {
  const after = decodeCursor(page.cursor, holderKey);
  await getDistributionEvent(db, eventId);
  const rows = await listEventAllocations(db, eventId, {
    holderId: caller.role === 'admin' ? undefined : caller.id,
    afterHolderId: after?.holder_id,
    limit: page.limit,
  });
  return pageOf(rows, page.limit, toAllocationDto, (row) => ({ holder_id: row.lp_token_holder_id }));
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
  const rows = await listHolderAllocations(db, lpId, { projectId: query.projectId, after, limit: query.limit });
  return pageOf(rows, query.limit, toAllocationDto, createdKeyOf);
}

const toActivityDto = ({ created_at_key: _key, ...row }: ActivityRow) => ({ ...row, created_at: row.created_at.toISOString() });

export async function listDistributionActivity(db: Db, scope: ActivityScope, page: PageRequest) {
  const after = decodeCursor(page.cursor, createdKey);
  if ('eventId' in scope) await getDistributionEvent(db, scope.eventId);
  if ('projectId' in scope) await requireProject(db, scope.projectId);
  const rows = await listActivity(db, scope, { after, limit: page.limit });
  return pageOf(rows, page.limit, toActivityDto, createdKeyOf);
}

/** Rows read per query for the CSV: a Data API response stays well under 1 MiB. */
const CSV_QUERY_ROWS = 1_000;

/**
 * One page of the payment file: up to `limit` holders in holder order, read `CSV_QUERY_ROWS` at a
 * time. The first page starts with the header line; `nextCursor` continues after the last holder.
 */
export async function allocationsCsvPage(db: Db, eventId: string, page: PageRequest): Promise<{ csv: string; nextCursor: string | null }> {
  let after = decodeCursor(page.cursor, holderKey)?.holder_id;
  await getDistributionEvent(db, eventId);
  const lines = page.cursor === undefined ? [ALLOCATION_CSV_HEADER] : [];
  let remaining = page.limit;
  let exhausted = false;
  while (remaining > 0 && !exhausted) {
    const size = Math.min(remaining, CSV_QUERY_ROWS);
    const rows = await listAllocationsForCsv(db, eventId, { afterHolderId: after, limit: size });
    for (const row of rows) lines.push(toAllocationCsvLine(row));
    remaining -= rows.length;
    exhausted = rows.length < size;
    after = rows.at(-1)?.lp_token_holder_id ?? after;
  }
  return {
    csv: lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`,
    nextCursor: exhausted || after === undefined ? null : encodeCursor({ holder_id: after }),
  };
}
