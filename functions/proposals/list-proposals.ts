import { listProposalsPage } from '../../shared/dual-control/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listProposals, async ({ db, query }) => ok(await listProposalsPage(db, query)));
