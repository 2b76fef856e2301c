import { listProjectDistributions } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.listProjectDistributions, async ({ db, path, query }) =>
  ok(await listProjectDistributions(db, path.projectId, query)),
);
