import { withdrawProposal } from '../../shared/dual-control/decide-proposal';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.withdrawProposal, async ({ db, caller, path, body }) =>
  ok(toProposalDto(await withdrawProposal(db, caller, path.id, body?.reason))),
);
