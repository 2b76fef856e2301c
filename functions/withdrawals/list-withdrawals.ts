import { httpHandler, ok } from '../../shared/http/handler';
import { listWithdrawalRequests } from '../../shared/withdrawals/list-withdrawals';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = httpHandler(withdrawalRoutes.listWithdrawals, async ({ db, caller, query }) =>
  ok(await listWithdrawalRequests(db, caller, query)),
);
