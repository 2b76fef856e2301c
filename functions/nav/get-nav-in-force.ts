import { httpHandler, ok } from '../../shared/http/handler';
import { getNavInForce } from '../../shared/nav/queries';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.getNavInForce, async ({ db, path, query }) =>
  ok(await getNavInForce(db, path.projectId, query.as_of)),
);
