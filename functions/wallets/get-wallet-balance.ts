import { httpHandler, ok } from '../../shared/http/handler';
import { getWalletBalance, toWalletBalanceDto } from '../../shared/treasury/balances';
import { routes } from '../routes';

export const handler = httpHandler(routes.getWalletBalance, async ({ db, path }) =>
  ok(toWalletBalanceDto(await getWalletBalance(db, path.id))),
);
