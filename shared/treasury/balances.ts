import type { Db } from '../db/client';
import type { PlatformWalletRow } from '../db/schema';
import { Decimal } from '../decimal';
import { NotFoundError } from '../errors';
import type { WalletBalanceDto } from '../wallets/schemas';
import { minReserveDto } from '../wallets/wallet';
import { findWalletById } from '../wallets/wallets.repository';
import { findTreasuryPool, walletBalance } from './accounts.repository';
import { ngntsString } from './ngnts';
import { spendable } from './reserves';

export interface WalletBalance {
  wallet: PlatformWalletRow;
  balance: Decimal;
  /** What the wallet can pay out without going below its minimum reserve. */
  spendable: Decimal;
}

async function balanceOf(db: Db, wallet: PlatformWalletRow): Promise<WalletBalance> {
  const balance = new Decimal(await walletBalance(db, wallet.address));
  return { wallet, balance, spendable: spendable(balance, wallet) };
}

/** The treasury pool's balance; 404 while no wallet has the treasury_pool role. */
export async function getTreasuryPoolBalance(db: Db): Promise<WalletBalance> {
  const pool = await findTreasuryPool(db);
  if (pool === undefined) throw new NotFoundError('Treasury pool', 'wallet');
  return balanceOf(db, pool);
}

export async function getWalletBalance(db: Db, walletId: string): Promise<WalletBalance> {
  const wallet = await findWalletById(db, walletId);
  if (wallet === undefined) throw new NotFoundError('Wallet', walletId);
  return balanceOf(db, wallet);
}

export const toWalletBalanceDto = ({ wallet, balance, spendable }: WalletBalance): WalletBalanceDto => ({
  wallet_id: wallet.id,
  address: wallet.address,
  wallet_role: wallet.wallet_role,
  balance: ngntsString(balance),
  min_reserve_threshold: minReserveDto(wallet),
  spendable: ngntsString(spendable),
});
