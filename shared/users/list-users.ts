import type { Db } from '../db/client';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, readPage } from '../http/cursor';
import type { ListUsersQuery } from './schemas';
import { toUser, toUserDto } from './user';
import { listUsers } from './users.repository';

/** The platform's users, newest first, optionally of one role or with one e-mail. */
export async function listPlatformUsers(db: Db, query: ListUsersQuery) {
  const after = decodeCursor(query.cursor, createdKey);
  const filter = { role: query.role, email: query.email };
  return readPage(listUsers(db, filter, { after, limit: query.limit }), query.limit, (row) => toUserDto(toUser(row)), createdKeyOf);
}
