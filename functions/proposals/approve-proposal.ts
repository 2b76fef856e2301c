import { approveProposal } from '../../shared/dual-control/decide-proposal';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.approveProposal, async ({ db, caller, path }) =>
  ok(toProposalDto(await approveProposal(db, caller, path.id))),
);
