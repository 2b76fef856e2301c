import { httpHandler, ok } from '../../shared/http/handler';
import { listPlatformWallets } from '../../shared/wallets/list-wallets';
import { walletRoutes } from '../routes/wallets';

export const handler = httpHandler(walletRoutes.listWallets, async ({ db, query }) => ok(await listPlatformWallets(db, query)));
