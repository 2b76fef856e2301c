import type { Db } from '../db/client';
import type { PlatformWalletRow } from '../db/schema';
import { Decimal } from '../decimal';
import { RuleViolationError } from '../errors';
import { asText, beyond, NGNTS } from '../quantities';
import {
  insertTreasuryTransaction,
  lockWallets,
  type NewTreasuryTransaction,
  walletBalance,
} from './accounts.repository';
import { assertWithinReserve } from './reserves';
import type { TreasuryTransactionRow } from './transaction';

/**
 * Refuses (422, naming the limit) money coming into a wallet that would take its balance past
 * what NGNTS hold: every read of a balance, and every sum made of it, stays within the type.
 * Call it under the wallet's row lock, with the balance read under it.
 */
function assertCanHold(wallet: Pick<PlatformWalletRow, 'address'>, balance: Decimal, inflow: Decimal): void {
  const after = balance.plus(inflow);
  const refusal = beyond(
    NGNTS,
    after,
    (limit) => `Paying ${asText(NGNTS, inflow)} into ${wallet.address} would take its balance to ${asText(NGNTS, after)}, past the most a wallet may hold, ${limit}`,
    { wallet: wallet.address, balance: asText(NGNTS, balance), inflow: asText(NGNTS, inflow) },
  );
  if (refusal !== undefined) throw refusal;
}

/**
 * Records one treasury transaction inside the caller's transaction: locks the wallets it names
 * (which must be registered), refuses (422, with the shortfall) an outflow that would take its
 * source below the minimum reserve, and (422, naming the limit) an inflow that would take its
 * destination past what a balance holds, then appends the row. Concurrent outflows from one wallet
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
  const destination = wallets.find((wallet) => wallet.address === tx.destinationWallet);
  if (destination !== undefined) {
    assertCanHold(destination, new Decimal(await walletBalance(trx, destination.address)), tx.amount);
  }
  return insertTreasuryTransaction(trx, tx);
}
