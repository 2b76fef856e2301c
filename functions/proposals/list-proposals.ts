import { listProposalsPage } from '../../shared/dual-control/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { proposalRoutes } from '../routes/proposals';

export const handler = httpHandler(proposalRoutes.listProposals, async ({ db, query }) => ok(await listProposalsPage(db, query)));
