import { httpHandler, ok } from '../../shared/http/handler';
import { listNavHistory } from '../../shared/nav/queries';
import { navRoutes } from '../routes/nav';

export const handler = httpHandler(navRoutes.listNavHistory, async ({ db, path, query }) =>
  ok(await listNavHistory(db, path.projectId, query)),
);
