import { listCashflows } from '../../shared/cashflows/list-cashflows';
import { httpHandler, ok } from '../../shared/http/handler';
import { cashflowRoutes } from '../routes/cashflows';

export const handler = httpHandler(cashflowRoutes.listProjectCashflows, async ({ db, path, query }) =>
  ok(await listCashflows(db, path.projectId, query)),
);
