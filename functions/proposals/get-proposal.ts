import { getProposal } from '../../shared/dual-control/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { proposalRoutes } from '../routes/proposals';

export const handler = httpHandler(proposalRoutes.getProposal, async ({ db, path }) => ok(await getProposal(db, path.id)));
