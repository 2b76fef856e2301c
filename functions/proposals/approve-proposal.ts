import { approveProposal } from '../../shared/dual-control/approve-proposal';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { proposalRoutes } from '../routes/proposals';

export const handler = postHandler(proposalRoutes.approveProposal, async ({ db, caller, path }) =>
  ok(toProposalDto(await approveProposal(db, caller, path.id))),
);
