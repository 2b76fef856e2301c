import { httpHandler, ok } from '../../shared/http/handler';
import { getTreasuryPoolBalance, toWalletBalanceDto } from '../../shared/treasury/balances';
import { routes } from '../routes';

export const handler = httpHandler(routes.getTreasuryBalance, async ({ db }) =>
  ok(toWalletBalanceDto(await getTreasuryPoolBalance(db))),
);
