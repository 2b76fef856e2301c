import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import type { PlatformWalletRow, TreasuryTransactionType } from '../db/schema';
import { jsonb, numeric, uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';
import { NGNTS, sqlType } from '../quantities';
import { METADATA_MAX_CHARS } from '../text-limits';

const walletRow = readBound(tableWidths.platform_wallets, 1);
/** lockWallets locks at most this many wallets at once: a buyback's sources, or a movement's two sides. */
const LOCKED_WALLETS_MAX = 32;
const transactionRow = readBound(tableWidths.treasury_pool_transactions, 1);
const transactionPage = readBound({ ...tableWidths.treasury_pool_transactions, created_at_key: instantKeyWidth });

/**
 * Treasury accounts: every treasury transaction moves money from a source (a wallet address, or
 * null for the outside world) to a destination (likewise). A wallet's balance is what came in
 * less what went out; the treasury pool is the wallet whose role is `treasury_pool`.
 */

export async function findTreasuryPool(db: Db): Promise<PlatformWalletRow | undefined> {
  return db.selectFrom('platform_wallets').selectAll().where('wallet_role', '=', 'treasury_pool').executeTakeFirst();
}

export async function findWalletByAddress(db: Db, address: string): Promise<PlatformWalletRow | undefined> {
  return db.selectFrom('platform_wallets').selectAll().where('address', '=', address).executeTakeFirst();
}

/**
 * Locks wallets (in address order, so concurrent movements cannot deadlock) until the
 * transaction ends: every outflow checks a balance under this lock.
 */
export async function lockWallets(db: Db, addresses: readonly string[]): Promise<PlatformWalletRow[]> {
  if (addresses.length === 0) return [];
  if (addresses.length > LOCKED_WALLETS_MAX) throw new Error(`lockWallets takes at most ${LOCKED_WALLETS_MAX} wallets, not ${addresses.length}`);
  return db
    .selectFrom('platform_wallets')
    .selectAll()
    .where('address', 'in', [...new Set(addresses)].sort())
    .orderBy('address')
    .forUpdate()
    .execute();
}

/** A wallet's balance: Σ transactions into it − Σ out of it, at most what NGNTS hold (move-funds.ts keeps it so). */
export async function walletBalance(db: Db, address: string): Promise<string> {
  const { rows } = await sql<{ balance: string }>`
    SELECT (
      coalesce((SELECT sum(amount_ngnts) FROM treasury_pool_transactions WHERE destination_wallet = ${address}), 0)
      - coalesce((SELECT sum(amount_ngnts) FROM treasury_pool_transactions WHERE source_wallet = ${address}), 0)
    )::${sql.raw(sqlType(NGNTS))}::text AS balance`.execute(db);
  return rows[0]?.balance ?? '0.00';
}

export interface NewTreasuryTransaction {
  type: TreasuryTransactionType;
  amount: Decimal;
  sourceWallet: string | null;
  destinationWallet: string | null;
  sourceProjectId?: string | null;
  relatedTxHash?: string | null;
  metadata?: Record<string, unknown> | null;
  recordedBy?: string | null;
  cashflowId?: string | null;
  redemptionRequestId?: string | null;
}

export async function insertTreasuryTransaction(db: Db, tx: NewTreasuryTransaction) {
  return db
    .insertInto('treasury_pool_transactions')
    .values({
      type: tx.type,
      amount_ngnts: numeric(tx.amount),
      source_wallet: tx.sourceWallet,
      destination_wallet: tx.destinationWallet,
      source_project_id: tx.sourceProjectId ? uuid(tx.sourceProjectId) : null,
      related_tx_hash: tx.relatedTxHash ?? null,
      metadata: tx.metadata ? jsonb(tx.metadata, METADATA_MAX_CHARS) : null,
      recorded_by: tx.recordedBy ? uuid(tx.recordedBy) : null,
      cashflow_id: tx.cashflowId ? uuid(tx.cashflowId) : null,
      redemption_request_id: tx.redemptionRequestId ? uuid(tx.redemptionRequestId) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The transaction that brought a cashflow into the pool, if one has. */
export async function findTransactionForCashflow(db: Db, cashflowId: string) {
  return db.selectFrom('treasury_pool_transactions').selectAll().where('cashflow_id', '=', uuid(cashflowId)).executeTakeFirst();
}

/** A page of treasury transactions, newest first, optionally of one type and/or source project, read in as many calls as its rows need. */
export function listTransactions(
  db: Db,
  filter: { type?: TreasuryTransactionType; projectId?: string },
  page: { after?: CreatedKey; limit: number },
) {
  return readByKey(page, transactionPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('treasury_pool_transactions').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.projectId !== undefined) query = query.where('source_project_id', '=', uuid(filter.projectId));
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  findTreasuryPool: walletRow,
  findWalletByAddress: walletRow,
  lockWallets: readBound(tableWidths.platform_wallets, LOCKED_WALLETS_MAX),
  walletBalance: readBound({ balance: width.quantity(NGNTS) }, 1),
  insertTreasuryTransaction: transactionRow,
  findTransactionForCashflow: transactionRow,
  listTransactions: transactionPage,
};
