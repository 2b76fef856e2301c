import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { recordDomainEvent } from '../events/record-domain-event';
import { REASON_MAX_CHARS, storableText } from '../http/schemas';
import { redemptionEventFields } from './redemption';
import { lockRedemption, OPEN_STATUSES, type RedemptionRow, updateRedemption } from './redemptions.repository';

export interface RedemptionFailure {
  /** For admins: what happened (its LP is told `processing_failed`). */
  reason: string;
  /** For the audit row and operators: the error, the execution, the step. */
  details: Record<string, unknown>;
}

/**
 * Ends an open request `failed` with its reason, and audits it as the platform's own action.
 * Nothing has moved (Execute burns and pays in one transaction, so an open request has done
 * neither), and a failed request no longer holds the LP's tokens against new requests.
 * A request already completed, rejected or failed is left as it is: returns undefined.
 */
export async function failRedemption(db: Db, redemptionId: string, failure: RedemptionFailure, now: Date = new Date()): Promise<RedemptionRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRedemption(trx, redemptionId);
    if (request === undefined || !OPEN_STATUSES.includes(request.status)) return undefined;
    const reason = storableText(failure.reason, REASON_MAX_CHARS);
    const failed = await updateRedemption(trx, redemptionId, {
      status: 'failed',
      reason_code: 'processing_failed',
      failure_reason: reason,
      task_token: null,
      processed_at: now,
    });
    await recordDomainEvent(trx, { type: 'redemption.failed', subjectId: redemptionId, detail: { ...redemptionEventFields(failed), reason_code: 'processing_failed', reason } });
    await recordAdminAction(trx, {
      adminId: null,
      action: 'redemption.fail',
      target: { redemption_request_id: redemptionId, project_id: request.project_id },
      details: { previous_status: request.status, reason: failure.reason, ...failure.details },
    });
    return failed;
  });
}
