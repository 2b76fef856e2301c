import { getProjectDistributionStats } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.getProjectDistributionStats, async ({ db, path }) =>
  ok(await getProjectDistributionStats(db, path.projectId)),
);
