import { listDistributionActivity } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listProjectDistributionActivity, async ({ db, path, query }) =>
  ok(await listDistributionActivity(db, { projectId: path.projectId }, query)),
);
