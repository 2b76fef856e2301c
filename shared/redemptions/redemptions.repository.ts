import { sql, type Selectable, type UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import type { Database, RedemptionRequestsTable, RedemptionStatus } from '../db/schema';
import { afterCreated, type CreatedKey, instantKey } from '../db/keyset';
import { numeric, uuid } from '../db/sql-values';
import type { Decimal } from '../decimal';

export type RedemptionRow = Selectable<RedemptionRequestsTable>;

/** Statuses in which a request still holds the LP's tokens against new requests. */
export const OPEN_STATUSES: readonly RedemptionStatus[] = ['pending', 'awaiting_approval', 'processing'];

export async function insertRedemption(
  db: Db,
  request: { userId: string; projectId: string; tokens: Decimal; nav: Decimal; value: Decimal },
): Promise<RedemptionRow> {
  return db
    .insertInto('redemption_requests')
    .values({
      user_id: uuid(request.userId),
      project_id: uuid(request.projectId),
      tokens_amount: numeric(request.tokens),
      nav_snapshot: numeric(request.nav),
      redemption_value_ngnts: numeric(request.value),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRedemption(db: Db, id: string): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemption_requests').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
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

/** Tokens of the holder's requests for the project that are still open (not completed, rejected or failed). */
export async function openRedemptionTokens(db: Db, userId: string, projectId: string): Promise<string> {
  const { rows } = await sql<{ tokens: string }>`
    SELECT coalesce(sum(tokens_amount), 0)::numeric(30, 8)::text AS tokens FROM redemption_requests
    WHERE user_id = ${uuid(userId)} AND project_id = ${uuid(projectId)}
      AND status IN (${sql.join(OPEN_STATUSES)})`.execute(db);
  return rows[0]?.tokens ?? '0';
}

/** A page of requests, newest first: one LP's, or everyone's. */
export async function listRedemptions(
  db: Db,
  filter: { userId?: string; status?: RedemptionStatus },
  page: { after?: CreatedKey; limit: number },
): Promise<(RedemptionRow & { created_at_key: string })[]> {
  let query = db.selectFrom('redemption_requests').selectAll().select(instantKey('created_at').as('created_at_key'));
  if (filter.userId !== undefined) query = query.where('user_id', '=', uuid(filter.userId));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (page.after !== undefined) query = query.where(afterCreated(page.after));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
