import { recordAdminAction } from '../audit/admin-actions.repository';
import { dualControlEnabled } from '../config';
import type { Db } from '../db/client';
import { assertApproverMadeNothingItPays } from '../dual-control/buyback-approver';
import { uuid } from '../db/sql-values';
import { ConflictError, NotFoundError } from '../errors';
import { recordDomainEvent } from '../events/record-domain-event';
import type { Caller, RequestMeta } from '../identity/caller';
import { deliverHandoffs, recordHandoff } from '../outbox/handoff';
import { approvalHandoff, HANDOFF_KINDS, rejectionHandoff } from '../outbox/handoffs';
import { redemptionRefusals } from './handoff-refusals';
import { redemptionEventFields } from './redemption';
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
 * An admin approves (under dual control, one who made neither its NAV nor its LP's tokens): the
 * decision, its audit row and the hand-off of the decision to the waiting workflow commit together;
 * the hand-off is then delivered at once (or, failing that, by the relay) and the workflow executes. If the workflow's window had closed, the request is
 * rejected as expired and the admin gets a 409.
 */
export async function approveRedemption(db: Db, admin: Caller, id: string, meta: RequestMeta, now = new Date()): Promise<RedemptionRow> {
  const request = await db.transaction().execute(async (trx) => {
    const waiting = await lockAwaitingDecision(trx, id, now);
    if (dualControlEnabled()) await assertApproverMadeNothingItPays(trx, waiting, admin);
    const updated = await updateRedemption(trx, id, { status: 'processing', decided_by: uuid(admin.id), decided_at: now, task_token: null });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'redemption.approve',
      target: { redemption_request_id: id, project_id: waiting.project_id },
      details: { tokens_amount: waiting.tokens_amount, value_ngnts: waiting.redemption_value_ngnts, request_id: meta.requestId },
    });
    await recordHandoff(trx, approvalHandoff(id, waiting.task_token, admin.id), now);
    return updated;
  });
  const deliveries = await deliverHandoffs(db, { subjectId: id, kind: HANDOFF_KINDS.approveRedemption }, { refusals: redemptionRefusals });
  if (deliveries.some((delivery) => delivery.result === 'refused')) {
    throw new ConflictError('The approval window had closed; the request was rejected as expired');
  }
  return request;
}

/**
 * An admin rejects with a reason: recorded, audited and handed off to the waiting workflow
 * together, then delivered. A workflow whose window closed meanwhile ends in Expire, which
 * leaves the request rejected.
 */
export async function rejectRedemption(db: Db, admin: Caller, id: string, reason: string, meta: RequestMeta, now = new Date()): Promise<RedemptionRow> {
  const request = await db.transaction().execute(async (trx) => {
    const waiting = await lockAwaitingDecision(trx, id, now);
    const updated = await updateRedemption(trx, id, {
      status: 'rejected',
      reason_code: 'rejected',
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
    await recordDomainEvent(trx, { type: 'redemption.rejected', subjectId: id, detail: { ...redemptionEventFields(updated), reason_code: 'rejected', reason, rejected_by: admin.id } });
    await recordHandoff(trx, rejectionHandoff(id, waiting.task_token, WORKFLOW_ERRORS.rejected, reason), now);
    return updated;
  });
  await deliverHandoffs(db, { subjectId: id, kind: HANDOFF_KINDS.rejectRedemption }, { refusals: redemptionRefusals });
  return request;
}
