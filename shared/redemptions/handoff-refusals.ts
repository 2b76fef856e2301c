import { recordAdminAction } from '../audit/admin-actions.repository';
import { recordDomainEvent } from '../events/record-domain-event';
import type { RefusalConsequence, RefusalConsequences } from '../outbox/deliver';
import { HANDOFF_KINDS } from '../outbox/handoffs';
import { redemptionEventFields } from './redemption';
import { lockRedemption, updateRedemption } from './redemptions.repository';

export const APPROVAL_TOO_LATE = 'Expired: the approval arrived after the approval window closed';

/**
 * An approval reached a workflow that no longer waits (its window closed): the request is
 * rejected as expired, audited under the admin who approved. Nothing has moved.
 */
const approvalRefused: RefusalConsequence = async (trx, message) => {
  const request = await lockRedemption(trx, message.subject_id);
  if (request?.status !== 'processing') return;
  await updateRedemption(trx, request.id, {
    status: 'rejected',
    reason_code: 'approval_expired',
    rejection_reason: APPROVAL_TOO_LATE,
    processed_at: new Date(),
  });
  await recordAdminAction(trx, {
    adminId: request.decided_by,
    action: 'redemption.approval_expired',
    target: { redemption_request_id: request.id, project_id: request.project_id },
  });
  await recordDomainEvent(trx, {
    type: 'redemption.rejected',
    subjectId: request.id,
    detail: { ...redemptionEventFields(request), reason_code: 'approval_expired', reason: APPROVAL_TOO_LATE, rejected_by: null },
  });
};

/**
 * What follows when a redemption's hand-off is refused, by kind. A refused rejection needs
 * nothing: the request is rejected already, and a workflow whose window closed ends in Expire.
 */
export const redemptionRefusals: RefusalConsequences = {
  [HANDOFF_KINDS.approveRedemption]: approvalRefused,
};
