import { httpHandler, ok } from '../../shared/http/handler';
import { listWithdrawalRequests } from '../../shared/withdrawals/list-withdrawals';
import { routes } from '../routes';

export const handler = httpHandler(routes.listWithdrawals, async ({ db, caller, query }) =>
  ok(await listWithdrawalRequests(db, caller, query)),
);
