import { created, httpHandler } from '../../shared/http/handler';
import { registerWallet } from '../../shared/wallets/register-wallet';
import { toWalletDto } from '../../shared/wallets/wallet';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.registerWallet, async ({ db, caller, body }) =>
  created(toWalletDto(await registerWallet(db, caller, body))),
);
