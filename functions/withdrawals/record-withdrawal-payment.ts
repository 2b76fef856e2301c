import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { recordWithdrawalPayment } from '../../shared/withdrawals/decide-withdrawal';
import { toWithdrawalDto } from '../../shared/withdrawals/withdrawal';
import { withdrawalRoutes } from '../routes/withdrawals';

export const handler = postHandler(withdrawalRoutes.recordWithdrawalPayment, async ({ db, caller, path, body, meta }) =>
  ok(toWithdrawalDto(await recordWithdrawalPayment(db, caller, path.id, body.payment_reference, meta))),
);
