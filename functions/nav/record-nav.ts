import { dualControlEnabled } from '../../shared/config';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { accepted, created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { navProposals } from '../../shared/nav/nav-proposals';
import { recordNav, toRecordedNavDto } from '../../shared/nav/record-nav';
import { navRoutes } from '../routes/nav';

export const handler = postHandler(navRoutes.recordNav, async ({ db, caller, path, body }) => {
  // Under dual control the entry waits for a second admin: 202 with the proposal.
  if (dualControlEnabled()) return accepted(toProposalDto(await navProposals.propose(db, caller, path.projectId, body)));
  return created(toRecordedNavDto(await recordNav(db, caller, path.projectId, body)));
});
