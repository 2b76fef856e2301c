import { listDistributionActivity } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listDistributionActivity, async ({ db, path, query }) =>
  ok(await listDistributionActivity(db, { eventId: path.id }, query)),
);
