import { recordAdminAction } from '../audit/admin-actions.repository';
import { dualControlEnabled } from '../config';
import type { Db } from '../db/client';
import type { RedemptionReasonCode } from '../db/schema';
import { jsonb } from '../db/sql-values';
import { TX_HASHES_MAX_CHARS } from '../db/table-widths';
import { Decimal } from '../decimal';
import { AppError } from '../errors';
import { requestApproval } from '../events/approvals';
import { recordDomainEvent } from '../events/record-domain-event';
import { REASON_MAX_CHARS, storableText } from '../http/schemas';
import { applyMovement } from '../lp-tokens/record-movement';
import { lockWallets } from '../treasury/accounts.repository';
import { moveFunds } from '../treasury/move-funds';
import { asText, NAV_PER_TOKEN } from '../quantities';
import type { FundingPlanJson } from './funding-plan';
import { failOnPermanentError } from './permanent-errors';
import { redemptionEventFields } from './redemption';
import { findRedemption, lockRedemption, OPEN_STATUSES, type RedemptionRow, updateRedemption } from './redemptions.repository';
import { WORKFLOW_ERRORS } from './workflow-definition';
import { WorkflowStepError } from './workflow-step-error';
import { jsonColumnValue } from '../db/json-columns';

export { WorkflowStepError } from './workflow-step-error';

// Every step runs under failOnPermanentError: an error no retry can fix fails the request at once.

/** A refusal by the ledger or a reserve (a 422 elsewhere) is, here, funds no longer available. */
async function asFundsUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw new WorkflowStepError(WORKFLOW_ERRORS.fundsUnavailable, error.message);
    throw error;
  }
}

const planOf = (request: Pick<RedemptionRow, 'funding_plan'>): FundingPlanJson =>
  jsonColumnValue(request.funding_plan) as FundingPlanJson;

/** Validate: the request exists, is pending or waiting, and has a complete funding plan. */
export async function validateRedemption(db: Db, redemptionId: string): Promise<void> {
  await failOnPermanentError(db, redemptionId, 'validation', () => validate(db, redemptionId));
}

async function validate(db: Db, redemptionId: string): Promise<void> {
  const request = await findRedemption(db, redemptionId);
  if (request === undefined) throw new WorkflowStepError(WORKFLOW_ERRORS.invalid, `Redemption ${redemptionId} does not exist`);
  if (request.status !== 'pending' && request.status !== 'awaiting_approval') {
    throw new WorkflowStepError(WORKFLOW_ERRORS.invalid, `The request is ${request.status}`);
  }
  const plan = planOf(request);
  if (plan?.shortfall_ngnts === undefined || !new Decimal(plan.shortfall_ngnts).isZero()) {
    throw new WorkflowStepError(WORKFLOW_ERRORS.invalid, 'The request has no complete funding plan');
  }
}

/** WaitForApproval: keeps the task token with the request so the API can hand it the decision. */
export async function awaitApproval(
  db: Db,
  input: { redemptionId: string; taskToken: string; enteredAt: Date; timeoutSeconds: number },
): Promise<void> {
  await failOnPermanentError(db, input.redemptionId, 'the wait for approval', () => storeTaskToken(db, input));
}

async function storeTaskToken(db: Db, input: { redemptionId: string; taskToken: string; enteredAt: Date; timeoutSeconds: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const request = await lockRedemption(trx, input.redemptionId);
    if (request === undefined || (request.status !== 'pending' && request.status !== 'awaiting_approval')) return;
    const expiresAt = new Date(input.enteredAt.getTime() + input.timeoutSeconds * 1000);
    const waiting = await updateRedemption(trx, input.redemptionId, { status: 'awaiting_approval', task_token: input.taskToken, approval_expires_at: expiresAt });
    // A step run again finds it waiting already: it was told then.
    if (request.status === 'pending') await tellAwaitingApproval(trx, waiting, expiresAt);
  });
}

/** The request waits for an admin: the feed and the approvers are told, with the routes that decide it. */
async function tellAwaitingApproval(trx: Db, request: RedemptionRow, expiresAt: Date): Promise<void> {
  const told = redemptionEventFields(request);
  await recordDomainEvent(trx, {
    type: 'redemption.awaiting_approval',
    subjectId: request.id,
    detail: { ...told, approval_expires_at: expiresAt.toISOString() },
  });
  await requestApproval(trx, {
    of: 'redemption',
    subjectId: request.id,
    projectId: request.project_id,
    summary: `Redemption of ${told.value_ngnts} NGNTS awaits approval`,
    facts: {
      value_ngnts: told.value_ngnts,
      tokens_amount: told.tokens_amount,
      nav_per_token: asText(NAV_PER_TOKEN, request.nav_snapshot),
      holder_id: request.user_id,
      project_id: request.project_id,
      funded_from: planOf(request).sources.map((source) => `${source.wallet} ${source.amount_ngnts}`).join(', '),
    },
    whoDecides: dualControlEnabled()
      ? 'an admin who made neither the NAV it is valued at nor the tokens of its LP (dual control)'
      : 'any admin',
    expiresAt,
  });
}

/**
 * Execute, after approval: burns the LP's tokens in the ledger and pays the value from the
 * planned wallets as buyback transactions, re-checking every minimum reserve under the wallets'
 * locks, then marks the request completed, all in one transaction: either everything moves or
 * nothing does. A completed request is left as it is.
 */
export async function executeRedemption(db: Db, redemptionId: string): Promise<{ status: string }> {
  return failOnPermanentError(db, redemptionId, 'execution', () => execute(db, redemptionId));
}

async function execute(db: Db, redemptionId: string): Promise<{ status: string }> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRedemption(trx, redemptionId);
    if (request === undefined) throw new WorkflowStepError(WORKFLOW_ERRORS.invalid, `Redemption ${redemptionId} does not exist`);
    if (request.status === 'completed') return { status: 'completed' };
    if (request.status !== 'processing' || request.decided_by === null) {
      throw new WorkflowStepError(WORKFLOW_ERRORS.invalid, `The request is ${request.status}, not approved`);
    }
    const approver = request.decided_by;
    await asFundsUnavailable(() =>
      applyMovement(trx, approver, request.project_id, {
        kind: 'burn',
        holder_id: request.user_id,
        amount: new Decimal(request.tokens_amount),
      }),
    );

    const plan = planOf(request);
    // Every planned wallet is locked up front, in address order (no deadlock with another
    // execution); moveFunds then re-checks each reserve under those locks.
    await lockWallets(trx, plan.sources.map((s) => s.wallet));
    const payments = [];
    for (const source of plan.sources) {
      const amount = new Decimal(source.amount_ngnts);
      const tx = await asFundsUnavailable(() =>
        moveFunds(trx, {
          type: 'buyback',
          amount,
          sourceWallet: source.wallet,
          destinationWallet: null,
          sourceProjectId: request.project_id,
          redemptionRequestId: redemptionId,
          recordedBy: approver,
          metadata: { redemption_request_id: redemptionId, lp_id: request.user_id },
        }),
      );
      payments.push({ treasury_transaction_id: tx.id, wallet: source.wallet, amount_ngnts: amount.toFixed(2) });
    }
    await updateRedemption(trx, redemptionId, {
      status: 'completed',
      tx_hashes: jsonb(payments, TX_HASHES_MAX_CHARS),
      task_token: null,
      processed_at: new Date(),
    });
    await recordDomainEvent(trx, {
      type: 'redemption.completed',
      subjectId: redemptionId,
      detail: { ...redemptionEventFields(request), approved_by: approver, payments },
    });
    await recordAdminAction(trx, {
      adminId: approver,
      action: 'redemption.execute',
      target: { redemption_request_id: redemptionId, project_id: request.project_id },
      details: { tokens_burned: new Decimal(request.tokens_amount).toFixed(7), paid_ngnts: request.redemption_value_ngnts, payments },
    });
    return { status: 'completed' };
  });
}

/**
 * What a failure that reached the Reject state says, in words. An approver's reason comes as it
 * was given (SendTaskFailure's cause); a step's error comes as Step Functions passes a Lambda
 * function error on, the JSON `{"errorMessage", "errorType", "trace"}`, of which only the message
 * is kept: never the stack trace.
 */
export function failureMessage(cause: string): string {
  try {
    const error: unknown = JSON.parse(cause);
    if (typeof error === 'object' && error !== null && typeof (error as { errorMessage?: unknown }).errorMessage === 'string') {
      return (error as { errorMessage: string }).errorMessage;
    }
  } catch {
    // Not JSON: a reason in words.
  }
  return cause;
}

const REASONS: Record<string, string> = {
  'States.Timeout': 'Expired: no decision was made within the approval window',
};

/** What the LP is told, by the error that reached Reject or Expire; the message is the admins'. */
const REASON_CODES: Record<string, RedemptionReasonCode> = {
  'States.Timeout': 'approval_expired',
  [WORKFLOW_ERRORS.fundsUnavailable]: 'treasury_unavailable',
  [WORKFLOW_ERRORS.invalid]: 'no_longer_valid',
  [WORKFLOW_ERRORS.rejected]: 'rejected',
};

/** Reject and Expire: rejects a request that is not finished; nothing has moved. Idempotent. */
export async function rejectFromWorkflow(db: Db, input: { redemptionId: string; error: string; cause: string }): Promise<void> {
  await failOnPermanentError(db, input.redemptionId, 'rejection', () => reject(db, input));
}

async function reject(db: Db, input: { redemptionId: string; error: string; cause: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const request = await lockRedemption(trx, input.redemptionId);
    if (request === undefined || !OPEN_STATUSES.includes(request.status)) return;
    // A step's error message or an approver's cause: kept to the text rule and the width reads are sized for.
    const reason = storableText(REASONS[input.error] ?? (input.cause ? failureMessage(input.cause) : input.error), REASON_MAX_CHARS);
    const reasonCode = REASON_CODES[input.error] ?? 'rejected';
    await updateRedemption(trx, input.redemptionId, {
      status: 'rejected',
      reason_code: reasonCode,
      rejection_reason: reason,
      task_token: null,
      processed_at: new Date(),
    });
    await recordDomainEvent(trx, {
      type: 'redemption.rejected',
      subjectId: input.redemptionId,
      detail: { ...redemptionEventFields(request), reason_code: reasonCode, reason, rejected_by: null },
    });
  });
}
