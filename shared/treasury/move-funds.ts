import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { RuleViolationError } from '../errors';
import {
  insertTreasuryTransaction,
  lockWallets,
  type NewTreasuryTransaction,
  walletBalance,
} from './accounts.repository';
import { assertWithinReserve } from './reserves';
import type { TreasuryTransactionRow } from './transaction';

/**
 * Records one treasury transaction inside the caller's transaction: locks the wallets it names
 * (which must be registered), refuses (422, with the shortfall) an outflow that would take its
 * source below the minimum reserve, then appends the row. Concurrent outflows from one wallet
 * take turns on its lock, so together they never breach the reserve.
 *
 * @example
 * const buyback = { type: 'buyback', amount: new Decimal('250.00'), sourceWallet: pool.address, destinationWallet: null };
 * await db.transaction().execute((trx) => moveFunds(trx, buyback));
 */
export async function moveFunds(trx: Db, tx: NewTreasuryTransaction): Promise<TreasuryTransactionRow> {
  const addresses = [tx.sourceWallet, tx.destinationWallet].filter((address) => address !== null);
  const wallets = await lockWallets(trx, addresses);
  const unknown = addresses.find((address) => !wallets.some((wallet) => wallet.address === address));
  if (unknown !== undefined) throw new RuleViolationError(`Wallet ${unknown} is not registered`, { wallet: unknown });
  const source = wallets.find((wallet) => wallet.address === tx.sourceWallet);
  if (source !== undefined) {
    assertWithinReserve(source, new Decimal(await walletBalance(trx, source.address)), tx.amount);
  }
  return insertTreasuryTransaction(trx, tx);
}
