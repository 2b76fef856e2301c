import { httpHandler, ok } from '../../shared/http/handler';
import { updateWalletSettings } from '../../shared/wallets/update-wallet-settings';
import { toWalletDto } from '../../shared/wallets/wallet';
import { walletRoutes } from '../routes/wallets';

export const handler = httpHandler(walletRoutes.updateWalletSettings, async ({ db, caller, path, body }) =>
  ok(toWalletDto(await updateWalletSettings(db, caller, path.id, body))),
);
