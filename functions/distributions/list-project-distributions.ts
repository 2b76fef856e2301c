import { listProjectDistributions } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listProjectDistributions, async ({ db, path, query }) =>
  ok(await listProjectDistributions(db, path.projectId, query)),
);
