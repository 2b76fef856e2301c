import { httpHandler, ok } from '../../shared/http/handler';
import { listNavHistory } from '../../shared/nav/queries';
import { routes } from '../routes';

export const handler = httpHandler(routes.listNavHistory, async ({ db, path, query }) =>
  ok(await listNavHistory(db, path.projectId, query)),
);
