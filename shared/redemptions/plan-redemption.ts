import type { Db } from '../db/client';
import { jsonb } from '../db/sql-values';
import { FUNDING_PLAN_MAX_CHARS, MAX_FUNDING_SOURCES } from '../db/table-widths';
import { Decimal } from '../decimal';
import { recordDomainEvent } from '../events/record-domain-event';
import { recordHandoff } from '../outbox/handoff';
import { workflowStartHandoff } from '../outbox/handoffs';
import { walletBalance } from '../treasury/accounts.repository';
import { spendable } from '../treasury/reserves';
import { fundingWallets } from '../wallets/wallets.repository';
import { type FundingSource, planFunding, toFundingPlanJson } from './funding-plan';
import { redemptionEventFields } from './redemption';
import { lockRedemption, updateRedemption } from './redemptions.repository';

/** `planned`: the plan is stored and the workflow's start is handed off; `unchanged`: nothing to do. */
export type PlanOutcome = 'planned' | 'rejected' | 'unchanged';

export const executionNameOf = (redemptionId: string) => `redemption-${redemptionId}`;

/**
 * Wallets that may fund a buyback of `value`, in the order they pay (the pool, then the
 * project's, then shared liquidity), with what each can spend: those with something to spend,
 * until they cover the value or number MAX_FUNDING_SOURCES (a plan names at most that many, which
 * bounds what the request keeps).
 */
async function fundingSources(db: Db, projectId: string, value: Decimal): Promise<FundingSource[]> {
  const sources: FundingSource[] = [];
  let covered = new Decimal(0);
  for await (const wallet of fundingWallets(db, projectId)) {
    const balance = new Decimal(await walletBalance(db, wallet.address));
    const available = spendable(balance, wallet);
    if (available.isZero()) continue;
    sources.push({ wallet: wallet.address, role: wallet.wallet_role ?? '', spendable: available });
    covered = covered.plus(available);
    if (covered.greaterThanOrEqualTo(value) || sources.length === MAX_FUNDING_SOURCES) break;
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

    const value = new Decimal(request.redemption_value_ngnts);
    const plan = planFunding(value, await fundingSources(trx, request.project_id, value));
    if (plan.shortfall.greaterThan(0)) {
      const reason = `The treasury cannot fund it: ${plan.shortfall.toFixed(2)} NGNTS short after minimum reserves${plan.sources.length === MAX_FUNDING_SOURCES ? ` from the ${MAX_FUNDING_SOURCES} wallets a buyback may draw on` : ''}`;
      const rejected = await updateRedemption(trx, redemptionId, {
        status: 'rejected',
        reason_code: 'treasury_unavailable',
        funding_plan: jsonb(toFundingPlanJson(plan), FUNDING_PLAN_MAX_CHARS),
        rejection_reason: reason,
        processed_at: new Date(),
      });
      await recordDomainEvent(trx, {
        type: 'redemption.rejected',
        subjectId: redemptionId,
        detail: { ...redemptionEventFields(rejected), reason_code: 'treasury_unavailable', reason, rejected_by: null },
      });
      return 'rejected';
    }
    const executionName = executionNameOf(redemptionId);
    await updateRedemption(trx, redemptionId, { funding_plan: jsonb(toFundingPlanJson(plan), FUNDING_PLAN_MAX_CHARS), execution_name: executionName });
    await recordHandoff(trx, workflowStartHandoff(redemptionId, executionName));
    return 'planned';
  });
}
