import { httpHandler, ok } from '../../shared/http/handler';
import { setUserEmail } from '../../shared/users/set-user-email';
import { toUserDto } from '../../shared/users/user';
import { userRoutes } from '../routes/users';

export const handler = httpHandler(userRoutes.setUserEmail, async ({ db, caller, path, body }) =>
  ok(toUserDto(await setUserEmail(db, caller, path.id, body.email))),
);
