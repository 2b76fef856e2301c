import { sql, type Selectable, type UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import type { Database, RedemptionRequestsTable, RedemptionStatus } from '../db/schema';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, type KeysetRows, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import { numeric, uuid } from '../db/sql-values';
import { namesOf, omit, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';
import { LP_TOKENS, sqlType } from '../quantities';

export type RedemptionRow = Selectable<RedemptionRequestsTable>;

/**
 * A request as the API reads it: not the workflow's task token (up to 2 KB that never leaves the
 * server) nor its execution's name.
 */
const viewWidths = omit(tableWidths.redemption_requests, 'task_token', 'execution_name');
const viewColumns = namesOf(viewWidths);
export type RedemptionView = Omit<RedemptionRow, 'task_token' | 'execution_name'>;

const redemptionRow = readBound(tableWidths.redemption_requests, 1);
const viewPage = readBound({ ...viewWidths, created_at_key: instantKeyWidth });

/** Statuses in which a request still holds the LP's tokens against new requests. */
export const OPEN_STATUSES: readonly RedemptionStatus[] = ['pending', 'awaiting_approval', 'processing'];

export async function insertRedemption(
  db: Db,
  request: { userId: string; projectId: string; tokens: Decimal; nav: Decimal; navEntryId: string; value: Decimal },
): Promise<RedemptionRow> {
  return db
    .insertInto('redemption_requests')
    .values({
      user_id: uuid(request.userId),
      project_id: uuid(request.projectId),
      tokens_amount: numeric(request.tokens),
      nav_snapshot: numeric(request.nav),
      nav_entry_id: uuid(request.navEntryId),
      redemption_value_ngnts: numeric(request.value),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRedemption(db: Db, id: string): Promise<RedemptionView | undefined> {
  return db.selectFrom('redemption_requests').select(viewColumns).where('id', '=', uuid(id)).executeTakeFirst();
}

/** Reads and locks a request: every change of its status goes through this lock. */
export async function lockRedemption(db: Db, id: string): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemption_requests').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

export async function updateRedemption(db: Db, id: string, changes: UpdateObject<Database, 'redemption_requests'>): Promise<RedemptionRow> {
  return db
    .updateTable('redemption_requests')
    .set(changes)
    .set((eb) => ({ updated_at: eb.fn('now') }))
    .where('id', '=', uuid(id))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Tokens of the holder's requests for the project that are still open (not completed, rejected or failed): never more than their balance. */
export async function openRedemptionTokens(db: Db, userId: string, projectId: string): Promise<string> {
  const { rows } = await sql<{ tokens: string }>`
    SELECT coalesce(sum(tokens_amount), 0)::${sql.raw(sqlType(LP_TOKENS))}::text AS tokens FROM redemption_requests
    WHERE user_id = ${uuid(userId)} AND project_id = ${uuid(projectId)}
      AND status IN (${sql.join(OPEN_STATUSES)})`.execute(db);
  return rows[0]?.tokens ?? '0';
}

/** A page of requests, newest first: one LP's, or everyone's, read in as many calls as its rows need. */
export function listRedemptions(
  db: Db,
  filter: { userId?: string; status?: RedemptionStatus },
  page: { after?: CreatedKey; limit: number },
): KeysetRows<RedemptionView & { created_at_key: string }> {
  return readByKey(page, viewPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('redemption_requests').select(viewColumns).select(instantKey('created_at').as('created_at_key'));
    if (filter.userId !== undefined) query = query.where('user_id', '=', uuid(filter.userId));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertRedemption: redemptionRow,
  findRedemption: readBound(viewWidths, 1),
  lockRedemption: redemptionRow,
  updateRedemption: redemptionRow,
  openRedemptionTokens: readBound({ tokens: width.quantity(LP_TOKENS) }, 1),
  listRedemptions: viewPage,
};
