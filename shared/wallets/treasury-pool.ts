import type { Db } from '../db/client';
import { ConflictError } from '../errors';
import { findTreasuryPool } from '../treasury/accounts.repository';
import { lockTreasuryPoolDesignation } from './wallets.repository';

/**
 * Refuses (409) to make a second treasury pool: only one wallet may hold the role. Requests that
 * designate a pool take turns on a lock held until their transaction ends, so the answer holds
 * until the write commits. `walletId`: the wallet being changed, which may already be the pool.
 */
export async function assertNoOtherTreasuryPool(trx: Db, walletId?: string): Promise<void> {
  await lockTreasuryPoolDesignation(trx);
  const pool = await findTreasuryPool(trx);
  if (pool !== undefined && pool.id !== walletId) {
    throw new ConflictError(`Wallet ${pool.address} is already the treasury pool; only one wallet may have that role`, {
      treasury_pool_wallet_id: pool.id,
      treasury_pool_address: pool.address,
    });
  }
}
