import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { approveWithdrawal } from '../../shared/withdrawals/decide-withdrawal';
import { toWithdrawalDto } from '../../shared/withdrawals/withdrawal';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = postHandler(withdrawalRoutes.approveWithdrawal, async ({ db, caller, path, meta }) =>
  ok(toWithdrawalDto(await approveWithdrawal(db, caller, path.id, meta))),
);
