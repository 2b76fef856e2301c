import { sql } from 'kysely';
import type { Db } from '../db/client';
import { type KeysetRows, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import type { LpTokenMovementKind, LpTokenMovementRow } from '../db/schema';
import { numeric, timestamptz, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';
import { LP_TOKENS, sqlType } from '../quantities';

/** A balance as of any instant: never more than the project has issued (record-movement.ts), so an LP tokens' value. */
const balanceWidth = width.quantity(LP_TOKENS);
const balanceType = sql.raw(sqlType(LP_TOKENS));
const holderPage = readBound({ holder_id: width.uuid, email: tableWidths.users.email, name: tableWidths.users.name, balance: balanceWidth });
/** Movements touch at most two holders. */
const LOCKED_HOLDERS_MAX = 2;

export interface NewMovement {
  projectId: string;
  kind: LpTokenMovementKind;
  fromHolderId: string | null;
  toHolderId: string | null;
  amount: Decimal;
  effectiveAt: Date;
  recordedBy: string;
}

export async function insertMovement(db: Db, movement: NewMovement): Promise<LpTokenMovementRow> {
  return db
    .insertInto('lp_token_movements')
    .values({
      project_id: uuid(movement.projectId),
      kind: movement.kind,
      from_holder_id: movement.fromHolderId === null ? null : uuid(movement.fromHolderId),
      to_holder_id: movement.toHolderId === null ? null : uuid(movement.toHolderId),
      amount: numeric(movement.amount),
      effective_at: timestamptz(movement.effectiveAt),
      recorded_by: uuid(movement.recordedBy),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Locks the current-balance rows of these holders (creating empty ones first), in holder order
 * so that concurrent movements touching the same holders cannot deadlock. Every change to a
 * holder's ledger goes through this lock.
 */
export async function lockBalances(db: Db, projectId: string, holderIds: string[]): Promise<void> {
  const ordered = [...new Set(holderIds)].sort();
  if (ordered.length > LOCKED_HOLDERS_MAX) throw new Error(`lockBalances takes at most ${LOCKED_HOLDERS_MAX} holders, not ${ordered.length}`);
  await db
    .insertInto('lp_token_balances')
    .values(ordered.map((holderId) => ({ project_id: uuid(projectId), lp_token_holder_id: uuid(holderId) })))
    .onConflict((conflict) => conflict.columns(['project_id', 'lp_token_holder_id']).doNothing())
    .execute();
  await db
    .selectFrom('lp_token_balances')
    .select('lp_token_holder_id')
    .where('project_id', '=', uuid(projectId))
    .where('lp_token_holder_id', 'in', ordered.map(uuid))
    .orderBy('lp_token_holder_id')
    .forUpdate()
    .execute();
}

/** Adds `delta` (negative to debit) to a holder's current balance; returns the new balance. */
export async function adjustBalance(db: Db, projectId: string, holderId: string, delta: Decimal): Promise<string> {
  const row = await db
    .updateTable('lp_token_balances')
    .set((eb) => ({
      lp_tokens_allocated: eb('lp_tokens_allocated', '+', numeric(delta)),
      updated_at: eb.fn('now'),
    }))
    .where('project_id', '=', uuid(projectId))
    .where('lp_token_holder_id', '=', uuid(holderId))
    .returning('lp_tokens_allocated')
    .executeTakeFirstOrThrow();
  return row.lp_tokens_allocated;
}

export interface DebitHeadroom {
  /** The holder's balance as of the instant. */
  balanceAt: string;
  /** The lowest balance the holder reaches after the instant, with when; null when nothing follows. */
  lowestLater: { balance: string; at: Date } | null;
}

/**
 * How much can be taken from a holder at `at` without their balance going negative then or at
 * any later instant (a backdated debit must not break movements recorded after it).
 */
export async function debitHeadroom(db: Db, projectId: string, holderId: string, at: Date): Promise<DebitHeadroom> {
  const holder = uuid(holderId);
  const instant = timestamptz(at);
  const { rows } = await sql<{ balance_at: string; lowest_later: string | null; lowest_later_at: Date | null }>`
    WITH deltas AS (
      SELECT effective_at, sum(CASE WHEN to_holder_id = ${holder} THEN amount ELSE -amount END) AS delta
      FROM lp_token_movements
      WHERE project_id = ${uuid(projectId)} AND (to_holder_id = ${holder} OR from_holder_id = ${holder})
      GROUP BY effective_at
    ), running AS (
      SELECT effective_at, sum(delta) OVER (ORDER BY effective_at) AS balance FROM deltas
    ), lowest_later AS (
      SELECT balance, effective_at FROM running WHERE effective_at > ${instant}
      ORDER BY balance, effective_at LIMIT 1
    )
    SELECT
      coalesce((SELECT sum(delta) FROM deltas WHERE effective_at <= ${instant}), 0)::${balanceType}::text AS balance_at,
      (SELECT balance::${balanceType}::text FROM lowest_later) AS lowest_later,
      (SELECT effective_at FROM lowest_later) AS lowest_later_at
  `.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('debit headroom query returned no row');
  return {
    balanceAt: row.balance_at,
    lowestLater:
      row.lowest_later === null || row.lowest_later_at === null
        ? null
        : { balance: row.lowest_later, at: new Date(row.lowest_later_at) },
  };
}

export interface HolderBalanceRow {
  holder_id: string;
  email: string | null;
  name: string | null;
  balance: string;
}

/**
 * Holders with a non-zero balance as of `at`, in holder id order, after the cursor's, read in as
 * many calls as their rows need. Reads the ledger, not the current balances, so any past
 * instant can be answered.
 */
export function holdersAsOf(
  db: Db,
  projectId: string,
  at: Date,
  page: { after?: { holder_id: string }; limit: number },
): KeysetRows<HolderBalanceRow> {
  return readByKey(page, holderPage.rowsPerCall, (row) => ({ holder_id: row.holder_id }), (after, limit) =>
    holderBalances(db, projectId, at, after?.holder_id, limit),
  );
}

async function holderBalances(db: Db, projectId: string, at: Date, afterHolderId: string | undefined, limit: number): Promise<HolderBalanceRow[]> {
  const project = uuid(projectId);
  const instant = timestamptz(at);
  const after = afterHolderId === undefined ? sql`` : sql`AND holder_id > ${uuid(afterHolderId)}`;
  const { rows } = await sql<HolderBalanceRow>`
    SELECT b.holder_id, u.email, u.name, b.balance::text AS balance
    FROM (
      SELECT holder_id, sum(delta) AS balance
      FROM (
        SELECT to_holder_id AS holder_id, amount AS delta FROM lp_token_movements
        WHERE project_id = ${project} AND effective_at <= ${instant} AND to_holder_id IS NOT NULL
        UNION ALL
        SELECT from_holder_id, -amount FROM lp_token_movements
        WHERE project_id = ${project} AND effective_at <= ${instant} AND from_holder_id IS NOT NULL
      ) movements
      WHERE true ${after}
      GROUP BY holder_id
      HAVING sum(delta) <> 0
      ORDER BY holder_id
      LIMIT ${limit}
    ) b
    JOIN users u ON u.id = b.holder_id
    ORDER BY b.holder_id
  `.execute(db);
  return rows;
}

/** A holder's current balance (lock it first with lockBalances when deciding on it). */
export async function currentBalance(db: Db, projectId: string, holderId: string): Promise<string> {
  const row = await db
    .selectFrom('lp_token_balances')
    .select('lp_tokens_allocated')
    .where('project_id', '=', uuid(projectId))
    .where('lp_token_holder_id', '=', uuid(holderId))
    .executeTakeFirst();
  return row?.lp_tokens_allocated ?? '0';
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertMovement: readBound(tableWidths.lp_token_movements, 1),
  lockBalances: readBound(pick(tableWidths.lp_token_balances, 'lp_token_holder_id'), LOCKED_HOLDERS_MAX),
  adjustBalance: readBound(pick(tableWidths.lp_token_balances, 'lp_tokens_allocated'), 1),
  debitHeadroom: readBound({ balance_at: balanceWidth, lowest_later: balanceWidth, lowest_later_at: width.timestamptz }, 1),
  holdersAsOf: holderPage,
  currentBalance: readBound(pick(tableWidths.lp_token_balances, 'lp_tokens_allocated'), 1),
};
