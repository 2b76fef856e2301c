import { created, httpHandler } from '../../shared/http/handler';
import { requestWithdrawal } from '../../shared/withdrawals/request-withdrawal';
import { toWithdrawalDto } from '../../shared/withdrawals/withdrawal';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = httpHandler(withdrawalRoutes.requestWithdrawal, async ({ db, caller, path, body, meta }) =>
  created(toWithdrawalDto(await requestWithdrawal(db, caller, path.allocationId, body.amount, meta))),
);
