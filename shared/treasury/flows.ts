import type { TreasuryTransactionType } from '../db/schema';

/**
 * Which accounts each type of treasury transaction moves money between (see accounts.repository.ts):
 * - `outside`: the world beyond the platform (null in the row); the request leaves the side out.
 * - `pool`: the treasury pool wallet; the request may leave it out (it is filled in) or name it.
 * - `wallet`: a registered wallet the request must name (the pool too, unless it is the other side).
 * - `wallet_or_outside`: a registered wallet if the request names one, else the outside world.
 */
export type Account = 'outside' | 'pool' | 'wallet' | 'wallet_or_outside';

export const FLOWS: Readonly<Record<TreasuryTransactionType, { from: Account; to: Account }>> = {
  /** Money arrives in the pool, e.g. a project's verified cashflow. */
  inflow: { from: 'outside', to: 'pool' },
  /** The pool funds a wallet. */
  allocation: { from: 'pool', to: 'wallet' },
  /** The pool is topped up, from a wallet or from outside. */
  replenish: { from: 'wallet_or_outside', to: 'pool' },
  /** A wallet pays to buy tokens back. */
  buyback: { from: 'wallet', to: 'outside' },
  /** A wallet pays a fee. */
  fee: { from: 'wallet', to: 'outside' },
};

interface FlowShape {
  type: TreasuryTransactionType;
  source_wallet?: string;
  destination_wallet?: string;
  cashflow_id?: string;
}

/** What a request gets wrong about its type's accounts, before any state is read (400s). */
export function flowShapeIssues(body: FlowShape): { path: string[]; message: string }[] {
  const { from, to } = FLOWS[body.type];
  const issues: { path: string[]; message: string }[] = [];
  const sides = [
    { field: 'source_wallet', account: from, given: body.source_wallet, outside: 'comes from outside the platform' },
    { field: 'destination_wallet', account: to, given: body.destination_wallet, outside: 'pays out of the platform' },
  ];
  for (const { field, account, given, outside } of sides) {
    if (account === 'outside' && given !== undefined) {
      issues.push({ path: [field], message: `must be left out: a ${body.type} ${outside}` });
    }
    if (account === 'wallet' && given === undefined) {
      issues.push({ path: [field], message: `is required for a ${body.type}` });
    }
  }
  if (body.source_wallet !== undefined && body.source_wallet === body.destination_wallet) {
    issues.push({ path: ['destination_wallet'], message: 'must differ from source_wallet' });
  }
  if (body.cashflow_id !== undefined && body.type !== 'inflow') {
    issues.push({ path: ['cashflow_id'], message: 'is only for inflows' });
  }
  return issues;
}
