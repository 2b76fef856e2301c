import { httpHandler, ok } from '../../shared/http/handler';
import { listPlatformUsers } from '../../shared/users/list-users';
import { routes } from '../routes';

export const handler = httpHandler(routes.listUsers, async ({ db, query }) => ok(await listPlatformUsers(db, query)));
