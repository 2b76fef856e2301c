import { httpHandler, ok } from '../../shared/http/handler';
import { getNavInForce } from '../../shared/nav/queries';
import { navRoutes } from '../routes/nav';

export const handler = httpHandler(navRoutes.getNavInForce, async ({ db, path, query }) =>
  ok(await getNavInForce(db, path.projectId, query.as_of)),
);
