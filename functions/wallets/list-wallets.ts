import { httpHandler, ok } from '../../shared/http/handler';
import { listPlatformWallets } from '../../shared/wallets/list-wallets';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.listWallets, async ({ db, query }) => ok(await listPlatformWallets(db, query)));
