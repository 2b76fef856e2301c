import { httpHandler, ok } from '../../shared/http/handler';
import { getWalletBalance, toWalletBalanceDto } from '../../shared/treasury/balances';
import { walletRoutes } from '../routes/wallets';

export const handler = httpHandler(walletRoutes.getWalletBalance, async ({ db, path }) =>
  ok(toWalletBalanceDto(await getWalletBalance(db, path.id))),
);
