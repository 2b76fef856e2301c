import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { uuid } from '../db/sql-values';
import { ConflictError, NotFoundError } from '../errors';
import type { Caller } from '../http/caller';
import type { RequestMeta } from '../http/handler';
import { logger } from '../logger';
import { isStaleTokenError, sendTaskFailure, sendTaskSuccess } from '../workflow/step-functions';
import { lockRedemption, type RedemptionRow, updateRedemption } from './redemptions.repository';
import { WORKFLOW_ERRORS } from './workflow-definition';

/** A decision this close to the window's end is refused: the workflow may already be expiring it. */
const DECISION_MARGIN_MS = 2_000;

async function lockAwaitingDecision(trx: Db, id: string, now: Date): Promise<RedemptionRow & { task_token: string }> {
  const request = await lockRedemption(trx, id);
  if (request === undefined) throw new NotFoundError('Redemption request', id);
  if (request.status !== 'awaiting_approval' || request.task_token === null) {
    throw new ConflictError(`The redemption request is ${request.status}; only one awaiting approval can be decided`, {
      current_status: request.status,
    });
  }
  if (request.approval_expires_at !== null && request.approval_expires_at.getTime() - DECISION_MARGIN_MS <= now.getTime()) {
    throw new ConflictError('The approval window has closed; the request is being rejected as expired', {
      approval_expires_at: request.approval_expires_at.toISOString(),
    });
  }
  return request as RedemptionRow & { task_token: string };
}

/**
 * An admin approves: the decision and its audit row commit first, then the waiting workflow gets
 * it and executes. If the workflow's window closed in between, the decision is undone (the
 * request is rejected as expired) and the admin gets a 409.
 */
export async function approveRedemption(db: Db, admin: Caller, id: string, meta: RequestMeta, now = new Date()): Promise<RedemptionRow> {
  const { request, token } = await db.transaction().execute(async (trx) => {
    const waiting = await lockAwaitingDecision(trx, id, now);
    const updated = await updateRedemption(trx, id, { status: 'processing', decided_by: uuid(admin.id), decided_at: now, task_token: null });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'redemption.approve',
      target: { redemption_request_id: id, project_id: waiting.project_id },
      details: { tokens_amount: waiting.tokens_amount, value_ngnts: waiting.redemption_value_ngnts, request_id: meta.requestId },
    });
    return { request: updated, token: waiting.task_token };
  });
  try {
    await sendTaskSuccess(token, { decision: 'approved', decided_by: admin.id });
  } catch (error) {
    if (!isStaleTokenError(error)) throw error;
    logger.warn('Approval reached an expired workflow; rejecting as expired', { redemption_id: id });
    await db.transaction().execute(async (trx) => {
      const current = await lockRedemption(trx, id);
      if (current?.status !== 'processing') return;
      await updateRedemption(trx, id, {
        status: 'rejected',
        rejection_reason: 'Expired: the approval arrived after the approval window closed',
        processed_at: new Date(),
      });
      await recordAdminAction(trx, {
        adminId: admin.id,
        action: 'redemption.approval_expired',
        target: { redemption_request_id: id, project_id: current.project_id },
      });
    });
    throw new ConflictError('The approval window had closed; the request was rejected as expired', {}, { cause: error });
  }
  return request;
}

/** An admin rejects with a reason: recorded and audited, then the waiting workflow ends. */
export async function rejectRedemption(db: Db, admin: Caller, id: string, reason: string, meta: RequestMeta, now = new Date()): Promise<RedemptionRow> {
  const { request, token } = await db.transaction().execute(async (trx) => {
    const waiting = await lockAwaitingDecision(trx, id, now);
    const updated = await updateRedemption(trx, id, {
      status: 'rejected',
      rejection_reason: reason,
      decided_by: uuid(admin.id),
      decided_at: now,
      task_token: null,
      processed_at: now,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'redemption.reject',
      target: { redemption_request_id: id, project_id: waiting.project_id },
      details: { reason, request_id: meta.requestId },
    });
    return { request: updated, token: waiting.task_token };
  });
  try {
    await sendTaskFailure(token, WORKFLOW_ERRORS.rejected, reason);
  } catch (error) {
    // Already rejected here; a workflow whose window closed meanwhile ends in Expire, which leaves it so.
    if (!isStaleTokenError(error)) throw error;
  }
  return request;
}
