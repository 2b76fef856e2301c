import { listDistributionAllocations } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.listDistributionAllocations, async ({ db, caller, path, query }) =>
  ok(await listDistributionAllocations(db, caller, path.id, query)),
);
