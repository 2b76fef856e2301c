import { created, httpHandler } from '../../shared/http/handler';
import { registerWallet } from '../../shared/wallets/register-wallet';
import { toWalletDto } from '../../shared/wallets/wallet';
import { routes } from '../routes';

export const handler = httpHandler(routes.registerWallet, async ({ db, caller, body }) =>
  created(toWalletDto(await registerWallet(db, caller, body))),
);
