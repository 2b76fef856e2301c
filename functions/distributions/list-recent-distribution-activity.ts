import { listDistributionActivity } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.listRecentDistributionActivity, async ({ db, query }) =>
  ok(await listDistributionActivity(db, { everywhere: true }, query)),
);
