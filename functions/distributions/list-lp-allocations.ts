import { listLpAllocations } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.listLpAllocations, async ({ db, caller, path, query }) =>
  ok(await listLpAllocations(db, caller, path.lpId, { ...query, projectId: query.project_id })),
);
