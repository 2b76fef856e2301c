import type { Db } from '../db/client';
import type { UserRole, UserRow } from '../db/schema';
import { NO_ROWS, readBound } from '../db/result-size';
import { uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
}

/** Inserts the user unless its id or email is taken; returns the row only when inserted. */
export async function insertUserIfAbsent(db: Db, user: NewUser): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ id: uuid(user.id), email: user.email, name: user.name, role: user.role })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function updateUserRole(db: Db, id: string, role: UserRole): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ role, updated_at: eb.fn('now') }))
    .where('id', '=', uuid(id))
    .where('role', '<>', role)
    .execute();
}

const userRow = readBound(tableWidths.users, 1);

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertUserIfAbsent: userRow,
  findUserById: userRow,
  findUserByEmail: userRow,
  updateUserRole: NO_ROWS,
};
