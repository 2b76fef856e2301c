import { created, httpHandler } from '../../shared/http/handler';
import { createUser } from '../../shared/users/create-user';
import { toUserDto } from '../../shared/users/user';
import { routes } from '../routes';

export const handler = httpHandler(routes.createUser, async ({ db, caller, body }) =>
  created(toUserDto(await createUser(db, caller, body))),
);
