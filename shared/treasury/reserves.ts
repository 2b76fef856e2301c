import type { PlatformWalletRow } from '../db/schema';
import { Decimal } from '../decimal';
import { RuleViolationError } from '../errors';

/** What a wallet can pay out without going below its minimum reserve (never negative). */
export function spendable(balance: Decimal, wallet: Pick<PlatformWalletRow, 'min_reserve_threshold'>): Decimal {
  const reserve = new Decimal(wallet.min_reserve_threshold ?? 0);
  return Decimal.max(balance.minus(reserve), 0);
}

/**
 * Refuses (422) an outflow that would take a wallet below its minimum reserve, saying by how
 * much. Call it under the wallet's row lock (lockWallets), with the balance read under it.
 */
export function assertWithinReserve(
  wallet: Pick<PlatformWalletRow, 'address' | 'min_reserve_threshold'>,
  balance: Decimal,
  outflow: Decimal,
): void {
  const reserve = new Decimal(wallet.min_reserve_threshold ?? 0);
  const after = balance.minus(outflow);
  if (after.lessThan(reserve)) {
    const shortfall = reserve.minus(after);
    throw new RuleViolationError(
      `Paying ${outflow.toFixed(2)} from ${wallet.address} would leave ${after.toFixed(2)}, ` +
        `${shortfall.toFixed(2)} below its minimum reserve of ${reserve.toFixed(2)}`,
      {
        wallet: wallet.address,
        balance: balance.toFixed(2),
        outflow: outflow.toFixed(2),
        min_reserve: reserve.toFixed(2),
        shortfall: shortfall.toFixed(2),
      },
    );
  }
}
