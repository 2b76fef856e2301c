import { httpHandler, ok } from '../../shared/http/handler';
import { getTreasuryPoolBalance, toWalletBalanceDto } from '../../shared/treasury/balances';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.getTreasuryBalance, async ({ db }) =>
  ok(toWalletBalanceDto(await getTreasuryPoolBalance(db))),
);
