import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { insertTreasuryTransaction, walletBalance } from '../../shared/treasury/accounts.repository';

/** A wallet funded from outside with `balance`, with a minimum reserve. */
export async function fundedWallet(options: {
  address: string;
  role: 'treasury_pool' | 'liquidity_pool';
  balance: string;
  minReserve?: string;
  projectId?: string;
}): Promise<string> {
  await sql`INSERT INTO platform_wallets (address, wallet_type, wallet_role, min_reserve_threshold, project_id)
    VALUES (${options.address}, ${options.role === 'treasury_pool' ? 'treasury' : 'lp'}, ${options.role},
      ${options.minReserve ?? null}::numeric, ${options.projectId ?? null}::uuid)`.execute(getDb());
  if (new Decimal(options.balance).greaterThan(0)) {
    await insertTreasuryTransaction(getDb(), {
      type: options.role === 'treasury_pool' ? 'inflow' : 'allocation',
      amount: new Decimal(options.balance),
      sourceWallet: null,
      destinationWallet: options.address,
    });
  }
  return options.address;
}

export async function setNav(projectId: string, nav: string): Promise<void> {
  await sql`INSERT INTO project_nav_history (project_id, nav_per_token, source, effective_at)
    VALUES (${projectId}::uuid, ${nav}::numeric, 'audited', now() - interval '1 day')`.execute(getDb());
  await sql`UPDATE projects SET current_nav_per_token = ${nav}::numeric WHERE id = ${projectId}::uuid`.execute(getDb());
}

export const balanceOf = (address: string) => walletBalance(getDb(), address);

/** Plans a requested redemption (the planning queue drained) and waits until its workflow waits for a decision. */
export async function untilAwaitingApproval(queues: { drain(queue: 'planRedemption'): Promise<unknown> }, redemptionId: string): Promise<void> {
  await queues.drain('planRedemption');
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql`SELECT 1 FROM redemption_requests WHERE id = ${redemptionId}::uuid AND status = 'awaiting_approval'`.execute(getDb());
    if (rows.length === 1) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the redemption never reached the approval step');
}
