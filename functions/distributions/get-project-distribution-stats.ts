import { getProjectDistributionStats } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.getProjectDistributionStats, async ({ db, path }) =>
  ok(await getProjectDistributionStats(db, path.projectId)),
);
