import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { requestWithdrawal } from '../../shared/withdrawals/request-withdrawal';
import { toWithdrawalDto } from '../../shared/withdrawals/withdrawal';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = postHandler(withdrawalRoutes.requestWithdrawal, async ({ db, caller, path, body, meta }) =>
  created(toWithdrawalDto(await requestWithdrawal(db, caller, path.allocationId, body.amount, meta))),
);
