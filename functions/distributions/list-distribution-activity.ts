import { listDistributionActivity } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.listDistributionActivity, async ({ db, path, query }) =>
  ok(await listDistributionActivity(db, { eventId: path.id }, query)),
);
