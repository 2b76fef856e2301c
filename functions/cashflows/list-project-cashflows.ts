import { listCashflows } from '../../shared/cashflows/list-cashflows';
import { httpHandler, ok } from '../../shared/http/handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.listProjectCashflows, async ({ db, path, query }) =>
  ok(await listCashflows(db, path.projectId, query)),
);
