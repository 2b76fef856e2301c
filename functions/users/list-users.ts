import { httpHandler, ok } from '../../shared/http/handler';
import { listPlatformUsers } from '../../shared/users/list-users';
import { userRoutes } from '../routes/users';

export const handler = httpHandler(userRoutes.listUsers, async ({ db, query }) => ok(await listPlatformUsers(db, query)));
