import { dualControlled, requiredProject } from '../dual-control/dual-controlled';
import { ForbiddenError } from '../errors';
import { checkMovement, writeAuditedMovement } from './record-movement';
import { type RecordMovementInput, recordMovementBody } from './schemas';

/** Issues wait for a second admin under dual control; burns and transfers move tokens already issued. */
export const issueNeedsApproval = (input: RecordMovementInput): boolean => input.kind === 'issue';

/**
 * An issue of LP tokens under dual control, stored with its instant resolved. Its approver may
 * not be the holder: no admin approves tokens for themselves.
 */
export const issueProposals = dualControlled({
  body: recordMovementBody,
  prepare: (trx, projectId, body, now) => checkMovement(trx, requiredProject(projectId), body, now),
  proposal: (plan) => {
    if (plan.kind !== 'issue') throw new Error(`Only issues are proposed, not a ${plan.kind}`);
    return {
      action: 'lp_tokens.issue',
      projectId: plan.projectId,
      request: { kind: plan.kind, holder_id: plan.to, amount: plan.amount.toFixed(7), effective_at: plan.effectiveAt.toISOString() },
    };
  },
  assertDisinterested: (plan, approver) => {
    if (plan.to === approver.id) {
      throw new ForbiddenError('An admin may not approve tokens issued to themselves', { holder_id: plan.to });
    }
  },
  write: (trx, plan, by) => writeAuditedMovement(trx, plan, by),
});
