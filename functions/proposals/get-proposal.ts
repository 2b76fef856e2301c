import { getProposal } from '../../shared/dual-control/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.getProposal, async ({ db, path }) => ok(await getProposal(db, path.id)));
