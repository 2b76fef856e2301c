import { dualControlEnabled } from '../../shared/config';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { accepted, created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { issueNeedsApproval, issueProposals } from '../../shared/lp-tokens/issue-proposals';
import { recordMovement, toMovementDto } from '../../shared/lp-tokens/record-movement';
import { lpTokenRoutes } from '../routes/lp-tokens';

export const handler = postHandler(lpTokenRoutes.recordLpTokenMovement, async ({ db, caller, path, body }) => {
  // Under dual control an issue waits for a second admin: 202 with the proposal.
  if (dualControlEnabled() && issueNeedsApproval(body)) {
    return accepted(toProposalDto(await issueProposals.propose(db, caller, path.projectId, body)));
  }
  return created(toMovementDto(await recordMovement(db, caller, path.projectId, body)));
});
