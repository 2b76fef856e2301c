import { Decimal } from '../decimal';

export interface FundingSource {
  wallet: string;
  role: string;
  /** What the wallet can pay without going below its minimum reserve. */
  spendable: Decimal;
}

export interface FundingPlan {
  value: Decimal;
  sources: { wallet: string; role: string; amount: Decimal }[];
  /** What the sources could not cover; zero when the plan is complete. */
  shortfall: Decimal;
}

/**
 * Pays `value` from the sources in the order given (the treasury pool first, then liquidity
 * wallets), taking from each at most what it can spend above its minimum reserve.
 *
 * @example planFunding(new Decimal('150'), [{ wallet: 'pool', role: 'treasury_pool', spendable: new Decimal('100') }, …])
 */
export function planFunding(value: Decimal, sources: readonly FundingSource[]): FundingPlan {
  let remaining = value;
  const used: FundingPlan['sources'] = [];
  for (const source of sources) {
    if (remaining.isZero()) break;
    const amount = Decimal.min(remaining, source.spendable);
    if (amount.greaterThan(0)) {
      used.push({ wallet: source.wallet, role: source.role, amount });
      remaining = remaining.minus(amount);
    }
  }
  return { value, sources: used, shortfall: remaining };
}

export const toFundingPlanJson = (plan: FundingPlan) => ({
  value_ngnts: plan.value.toFixed(2),
  sources: plan.sources.map((s) => ({ wallet: s.wallet, role: s.role, amount_ngnts: s.amount.toFixed(2) })),
  shortfall_ngnts: plan.shortfall.toFixed(2),
});

export type FundingPlanJson = ReturnType<typeof toFundingPlanJson>;
