import { approveProposal } from '../../shared/dual-control/decide-proposal';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { httpHandler, ok } from '../../shared/http/handler';
import { proposalRoutes } from '../routes/proposals';

export const handler = httpHandler(proposalRoutes.approveProposal, async ({ db, caller, path }) =>
  ok(toProposalDto(await approveProposal(db, caller, path.id))),
);
