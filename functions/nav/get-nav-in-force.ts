import { httpHandler, ok } from '../../shared/http/handler';
import { getNavInForce } from '../../shared/nav/queries';
import { routes } from '../routes';

export const handler = httpHandler(routes.getNavInForce, async ({ db, path, query }) =>
  ok(await getNavInForce(db, path.projectId, query.as_of)),
);
