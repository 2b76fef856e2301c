import { rejectProposal } from '../../shared/dual-control/decide-proposal';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { proposalRoutes } from '../routes/proposals';

export const handler = postHandler(proposalRoutes.rejectProposal, async ({ db, caller, path, body }) =>
  ok(toProposalDto(await rejectProposal(db, caller, path.id, body.reason))),
);
