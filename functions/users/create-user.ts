import { created, httpHandler } from '../../shared/http/handler';
import { createUser } from '../../shared/users/create-user';
import { toUserDto } from '../../shared/users/user';
import { userRoutes } from '../routes/users';

export const handler = httpHandler(userRoutes.createUser, async ({ db, caller, body }) =>
  created(toUserDto(await createUser(db, caller, body))),
);
