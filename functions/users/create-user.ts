import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { createUser } from '../../shared/users/create-user';
import { toUserDto } from '../../shared/users/user';
import { userRoutes } from '../routes/users';

export const handler = postHandler(userRoutes.createUser, async ({ db, caller, body }) =>
  created(toUserDto(await createUser(db, caller, body))),
);
