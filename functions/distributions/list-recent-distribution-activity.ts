import { listDistributionActivity } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listRecentDistributionActivity, async ({ db, query }) =>
  ok(await listDistributionActivity(db, { everywhere: true }, query)),
);
