import { listDistributionAllocations } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listDistributionAllocations, async ({ db, caller, path, query }) =>
  ok(await listDistributionAllocations(db, caller, path.id, query)),
);
