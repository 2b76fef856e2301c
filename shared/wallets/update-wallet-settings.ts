import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { PlatformWalletRow } from '../db/schema';
import { NotFoundError } from '../errors';
import type { Caller } from '../identity/caller';
import type { WalletSettingsInput } from './schemas';
import { assertNoOtherTreasuryPool } from './treasury-pool';
import { toWalletDto } from './wallet';
import { lockWalletById, setWalletSettings } from './wallets.repository';

const settingsOf = (row: PlatformWalletRow) => {
  const { wallet_role, min_reserve_threshold } = toWalletDto(row);
  return { wallet_role, min_reserve_threshold };
};

/**
 * Sets a wallet's role and/or minimum reserve under its row lock (outflows check the reserve
 * under the same lock, so none is judged against a stale one), with the audit row.
 */
export async function updateWalletSettings(
  db: Db,
  admin: Caller,
  walletId: string,
  input: WalletSettingsInput,
): Promise<PlatformWalletRow> {
  return db.transaction().execute(async (trx) => {
    const wallet = await lockWalletById(trx, walletId);
    if (wallet === undefined) throw new NotFoundError('Wallet', walletId);
    if (input.wallet_role === 'treasury_pool') await assertNoOtherTreasuryPool(trx, walletId);
    const updated = await setWalletSettings(trx, walletId, {
      walletRole: input.wallet_role,
      minReserveThreshold: input.min_reserve_threshold,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'wallet.update_settings',
      target: { wallet_id: walletId, address: wallet.address },
      details: { previous: settingsOf(wallet), new: settingsOf(updated) },
    });
    return updated;
  });
}
