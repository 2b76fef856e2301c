import * as z from '../zod';
import type { Db } from '../db/client';
import { NotFoundError } from '../errors';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { cursorInstant } from '../http/instants';
import { uuidField } from '../http/schemas';
import { getProject } from '../projects/get-project';
import { toNavEntryDto } from './nav-entry';
import type { NavInForceDto } from './schemas';
import { listNavEntries, navInForce, navKeyOf } from './nav.repository';

const historyKey = z.strictObject({ effective_at: cursorInstant, created_at: cursorInstant, id: uuidField });

/** A project's NAV history, latest effective first. */
export async function listNavHistory(db: Db, projectId: string, page: PageRequest) {
  const after = decodeCursor(page.cursor, historyKey);
  await getProject(db, projectId);
  return readPage(listNavEntries(db, projectId, { after, limit: page.limit }), page.limit, toNavEntryDto, navKeyOf);
}

/** The NAV entry in force at an instant (default now); 404 when none was effective yet. */
export async function getNavInForce(db: Db, projectId: string, asOf: Date = new Date()): Promise<NavInForceDto> {
  await getProject(db, projectId);
  const entry = await navInForce(db, projectId, asOf);
  if (entry === undefined) throw new NotFoundError('NAV', `of project ${projectId} in force at ${asOf.toISOString()}`);
  return { as_of: asOf.toISOString(), ...toNavEntryDto(entry) };
}
