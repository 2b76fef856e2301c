import { sql } from 'kysely';
import type { Db } from '../db/client';
import type { PlatformWalletRow, WalletRole, WalletType } from '../db/schema';
import { afterCreated, type CreatedKey, instantKey } from '../db/keyset';
import { numeric, uuid } from '../db/sql-values';
import type { Decimal } from '../decimal';

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

/** A page of wallets, newest first, optionally of one role, each with its exact cursor key. */
export async function listWallets(db: Db, filter: { walletRole?: WalletRole }, page: { after?: CreatedKey; limit: number }) {
  let query = db.selectFrom('platform_wallets').selectAll().select(instantKey('created_at').as('created_at_key'));
  if (filter.walletRole !== undefined) query = query.where('wallet_role', '=', filter.walletRole);
  if (page.after !== undefined) query = query.where(afterCreated(page.after));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
