import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { registerWallet } from '../../shared/wallets/register-wallet';
import { toWalletDto } from '../../shared/wallets/wallet';
import { walletRoutes } from '../routes/wallets';

export const handler = postHandler(walletRoutes.registerWallet, async ({ db, caller, body }) =>
  created(toWalletDto(await registerWallet(db, caller, body))),
);
