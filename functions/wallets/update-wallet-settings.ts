import { httpHandler, ok } from '../../shared/http/handler';
import { updateWalletSettings } from '../../shared/wallets/update-wallet-settings';
import { toWalletDto } from '../../shared/wallets/wallet';
import { routes } from '../routes';

export const handler = httpHandler(routes.updateWalletSettings, async ({ db, caller, path, body }) =>
  ok(toWalletDto(await updateWalletSettings(db, caller, path.id, body))),
);
