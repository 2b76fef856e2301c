import { listLpAllocations } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listLpAllocations, async ({ db, caller, path, query }) =>
  ok(await listLpAllocations(db, caller, path.lpId, { ...query, projectId: query.project_id })),
);
