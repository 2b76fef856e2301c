import { httpHandler, ok } from '../../shared/http/handler';
import { listPlatformWallets } from '../../shared/wallets/list-wallets';
import { routes } from '../routes';

export const handler = httpHandler(routes.listWallets, async ({ db, query }) => ok(await listPlatformWallets(db, query)));
