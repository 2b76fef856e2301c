import type { PlatformWalletRow, WalletRole, WalletType } from '../db/schema';
import { ngntsString } from '../treasury/ngnts';
import type { WalletDto } from './schemas';

/** The role a wallet gets from its type unless one is given (as migration 02 filled them in). */
export const DEFAULT_WALLET_ROLE: Readonly<Record<WalletType, WalletRole>> = {
  lp: 'liquidity_pool',
  admin: 'operations',
  treasury: 'treasury_pool',
  distribution: 'distribution',
};

/** A wallet's minimum reserve for the wire: "100.00", or null when it keeps none. */
export const minReserveDto = (wallet: Pick<PlatformWalletRow, 'min_reserve_threshold'>) =>
  wallet.min_reserve_threshold === null ? null : ngntsString(wallet.min_reserve_threshold);

export const toWalletDto = (row: PlatformWalletRow): WalletDto => ({
  id: row.id,
  address: row.address,
  label: row.label,
  wallet_type: row.wallet_type,
  wallet_role: row.wallet_role,
  project_id: row.project_id,
  min_reserve_threshold: minReserveDto(row),
  created_at: row.created_at.toISOString(),
});
