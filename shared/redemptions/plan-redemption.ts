import type { Db } from '../db/client';
import { jsonb, uuid } from '../db/sql-values';
import { Decimal } from '../decimal';
import { recordHandoff } from '../outbox/handoff';
import { workflowStartHandoff } from '../outbox/handoffs';
import { walletBalance } from '../treasury/accounts.repository';
import { spendable } from '../treasury/reserves';
import { type FundingSource, planFunding, toFundingPlanJson } from './funding-plan';
import { lockRedemption, updateRedemption } from './redemptions.repository';

/** `planned`: the plan is stored and the workflow's start is handed off; `unchanged`: nothing to do. */
export type PlanOutcome = 'planned' | 'rejected' | 'unchanged';

export const executionNameOf = (redemptionId: string) => `redemption-${redemptionId}`;

/** Wallets that may fund a buyback, in the order they pay: the pool, then the project's, then shared liquidity. */
async function fundingSources(db: Db, projectId: string): Promise<FundingSource[]> {
  const wallets = await db
    .selectFrom('platform_wallets')
    .selectAll()
    .where('wallet_role', 'in', ['treasury_pool', 'liquidity_pool'])
    .where((eb) => eb.or([eb('project_id', 'is', null), eb('project_id', '=', uuid(projectId))]))
    .execute();
  const rank = (w: (typeof wallets)[number]) => (w.wallet_role === 'treasury_pool' ? 0 : w.project_id !== null ? 1 : 2);
  wallets.sort((a, b) => rank(a) - rank(b) || (a.address < b.address ? -1 : 1));
  const sources: FundingSource[] = [];
  for (const wallet of wallets) {
    const balance = new Decimal(await walletBalance(db, wallet.address));
    sources.push({ wallet: wallet.address, role: wallet.wallet_role ?? '', spendable: spendable(balance, wallet) });
  }
  return sources;
}

/**
 * The redemption worker's step: builds the funding plan of a pending request. Without enough
 * money above every minimum reserve the request is rejected with the shortfall; otherwise the
 * plan is stored and, in the same transaction, the start of the approval workflow (named after
 * the request) is handed off through the outbox. Idempotent: a request already planned, or in
 * any other status than pending, is left as it is.
 */
export async function planRedemption(db: Db, redemptionId: string): Promise<PlanOutcome> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRedemption(trx, redemptionId);
    if (request === undefined || request.status !== 'pending' || request.execution_name !== null) return 'unchanged';

    const plan = planFunding(new Decimal(request.redemption_value_ngnts), await fundingSources(trx, request.project_id));
    if (plan.shortfall.greaterThan(0)) {
      await updateRedemption(trx, redemptionId, {
        status: 'rejected',
        funding_plan: jsonb(toFundingPlanJson(plan)),
        rejection_reason: `The treasury cannot fund it: ${plan.shortfall.toFixed(2)} NGNTS short after minimum reserves`,
        processed_at: new Date(),
      });
      return 'rejected';
    }
    const executionName = executionNameOf(redemptionId);
    await updateRedemption(trx, redemptionId, { funding_plan: jsonb(toFundingPlanJson(plan)), execution_name: executionName });
    await recordHandoff(trx, workflowStartHandoff(redemptionId, executionName));
    return 'planned';
  });
}
