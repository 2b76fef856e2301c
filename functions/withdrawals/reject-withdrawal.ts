import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { rejectWithdrawal } from '../../shared/withdrawals/decide-withdrawal';
import { toWithdrawalDto } from '../../shared/withdrawals/withdrawal';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = postHandler(withdrawalRoutes.rejectWithdrawal, async ({ db, caller, path, body, meta }) =>
  ok(toWithdrawalDto(await rejectWithdrawal(db, caller, path.id, body.reason, meta))),
);
