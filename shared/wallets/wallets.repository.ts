import { sql } from 'kysely';
import type { Db } from '../db/client';
import type { PlatformWalletRow, WalletRole, WalletType } from '../db/schema';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, type KeysetRows, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import { numeric, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

const walletRow = readBound(tableWidths.platform_wallets, 1);
const walletPage = readBound({ ...tableWidths.platform_wallets, created_at_key: instantKeyWidth });
const fundingWalletRows = readBound({
  ...pick(tableWidths.platform_wallets, 'address', 'wallet_role', 'min_reserve_threshold'),
  rank: width.int4,
});

export interface NewWallet {
  address: string;
  label: string | null;
  walletType: WalletType;
  walletRole: WalletRole;
  projectId: string | null;
  minReserveThreshold: Decimal | null;
}

/**
 * Inserts the wallet unless its address (or, for a pool, the one treasury pool) is taken; returns
 * the row only when inserted. Callers check both first; this settles a race between two requests.
 */
export async function insertWalletIfAbsent(db: Db, wallet: NewWallet): Promise<PlatformWalletRow | undefined> {
  return db
    .insertInto('platform_wallets')
    .values({
      address: wallet.address,
      label: wallet.label,
      wallet_type: wallet.walletType,
      wallet_role: wallet.walletRole,
      project_id: wallet.projectId === null ? null : uuid(wallet.projectId),
      min_reserve_threshold: wallet.minReserveThreshold === null ? null : numeric(wallet.minReserveThreshold),
    })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findWalletById(db: Db, id: string): Promise<PlatformWalletRow | undefined> {
  return db.selectFrom('platform_wallets').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

/** Reads the wallet and locks it until the transaction ends (outflows lock it the same way). */
export async function lockWalletById(db: Db, id: string): Promise<PlatformWalletRow | undefined> {
  return db.selectFrom('platform_wallets').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

/**
 * Makes requests that designate a treasury pool take turns until their transactions end, so the
 * check that no other pool exists stays true until the write commits.
 */
export async function lockTreasuryPoolDesignation(db: Db): Promise<void> {
  await sql`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('platform_wallets.treasury_pool'))`.execute(db);
}

export async function setWalletSettings(
  db: Db,
  id: string,
  settings: { walletRole?: WalletRole; minReserveThreshold?: Decimal | null },
): Promise<PlatformWalletRow> {
  const { walletRole, minReserveThreshold } = settings;
  return db
    .updateTable('platform_wallets')
    .set({
      ...(walletRole === undefined ? {} : { wallet_role: walletRole }),
      ...(minReserveThreshold === undefined
        ? {}
        : { min_reserve_threshold: minReserveThreshold === null ? null : numeric(minReserveThreshold) }),
    })
    .where('id', '=', uuid(id))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A page of wallets, newest first, optionally of one role, each with its exact cursor key, read in as many calls as its rows need. */
export function listWallets(db: Db, filter: { walletRole?: WalletRole }, page: { after?: CreatedKey; limit: number }) {
  return readByKey(page, walletPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('platform_wallets').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (filter.walletRole !== undefined) query = query.where('wallet_role', '=', filter.walletRole);
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

export interface FundingWallet {
  address: string;
  wallet_role: WalletRole | null;
  min_reserve_threshold: string | null;
  /** 0: the treasury pool, 1: the project's liquidity, 2: shared liquidity. */
  rank: number;
}

type FundingKey = { rank: string; address: string };

// Addresses compare byte by byte (C), whatever the database's collation.
const fundingRank = sql<number>`CASE WHEN wallet_role = 'treasury_pool' THEN 0 WHEN project_id IS NOT NULL THEN 1 ELSE 2 END`;

/**
 * The wallets that may fund a project's buyback, in the order they pay: the pool, then the
 * project's liquidity wallets, then shared ones, each by address. Read as the caller goes, in as
 * many calls as their rows need.
 */
export function fundingWallets(db: Db, projectId: string): KeysetRows<FundingWallet> {
  const keyOf = (row: FundingWallet): FundingKey => ({ rank: String(row.rank), address: row.address });
  return readByKey<FundingWallet, FundingKey>({ limit: Number.POSITIVE_INFINITY }, fundingWalletRows.rowsPerCall, keyOf, async (after, limit) => {
    const { rows } = await sql<FundingWallet>`
      SELECT address, wallet_role, min_reserve_threshold::text AS min_reserve_threshold, ${fundingRank} AS rank
      FROM platform_wallets
      WHERE wallet_role IN ('treasury_pool', 'liquidity_pool') AND (project_id IS NULL OR project_id = ${uuid(projectId)})
        -- Keyset by hand: afterKeyAscending (shared/db/keyset.ts) takes columns, this key is an expression and a collation.
        AND ${after === undefined ? sql`true` : sql`(${fundingRank}, address COLLATE "C") > (cast(${after.rank} as int), ${after.address} COLLATE "C")`}
      ORDER BY rank, address COLLATE "C"
      LIMIT ${limit}`.execute(db);
    return rows;
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertWalletIfAbsent: walletRow,
  findWalletById: walletRow,
  lockWalletById: walletRow,
  lockTreasuryPoolDesignation: readBound({ locked: width.int4 }, 1),
  setWalletSettings: walletRow,
  listWallets: walletPage,
  fundingWallets: fundingWalletRows,
};
