import { httpHandler, ok } from '../../shared/http/handler';
import { updateWalletSettings } from '../../shared/wallets/update-wallet-settings';
import { toWalletDto } from '../../shared/wallets/wallet';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.updateWalletSettings, async ({ db, caller, path, body }) =>
  ok(toWalletDto(await updateWalletSettings(db, caller, path.id, body))),
);
