import { httpHandler, ok } from '../../shared/http/handler';
import { getWalletBalance, toWalletBalanceDto } from '../../shared/treasury/balances';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.getWalletBalance, async ({ db, path }) =>
  ok(toWalletBalanceDto(await getWalletBalance(db, path.id))),
);
