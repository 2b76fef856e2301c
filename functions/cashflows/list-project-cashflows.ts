import { listCashflows } from '../../shared/cashflows/list-cashflows';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.listProjectCashflows, async ({ db, path, query }) =>
  ok(await listCashflows(db, path.projectId, query)),
);
