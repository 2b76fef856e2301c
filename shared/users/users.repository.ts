import { sql } from 'kysely';
import type { Db } from '../db/client';
import type { UserRole, UserRow } from '../db/schema';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { NO_ROWS, readBound } from '../db/result-size';
import { timestamptz, uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';

export interface NewUser {
  id: string;
  email: string | null;
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

/**
 * Inserts a user whose e-mail came with a token issued at `emailSetAt`. Returns undefined when
 * the id was inserted meanwhile; an e-mail taken meanwhile fails with a unique violation (23505).
 */
export async function insertUserFromToken(db: Db, user: NewUser & { emailSetAt: Date | null }): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({
      id: uuid(user.id),
      email: user.email,
      email_set_at: user.emailSetAt === null ? null : timestamptz(user.emailSetAt),
      name: user.name,
      role: user.role,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

/** The user, locked until the transaction ends. */
export async function lockUserById(trx: Db, id: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

/** Whoever holds the e-mail (in any case), locked until the transaction ends. */
export async function lockUserByEmail(trx: Db, email: string): Promise<UserRow | undefined> {
  return trx
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .forUpdate()
    .executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/**
 * Sets the user's e-mail and how recent the word that set it is: `{ at }` for a token's issue
 * time, `'now'` for an admin acting now, and no e-mail goes with no time.
 */
export async function updateUserEmail(db: Db, id: string, email: string | null, setAt: { at: Date } | 'now'): Promise<UserRow> {
  const emailSetAt = email === null ? null : setAt === 'now' ? sql<Date>`now()` : timestamptz(setAt.at);
  return db
    .updateTable('users')
    .set((eb) => ({ email, email_set_at: emailSetAt, updated_at: eb.fn('now') }))
    .where('id', '=', uuid(id))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUserRole(db: Db, id: string, role: UserRole): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ role, updated_at: eb.fn('now') }))
    .where('id', '=', uuid(id))
    .where('role', '<>', role)
    .execute();
}

/**
 * A page of users, newest first, optionally of one role and with one e-mail (in any case, as
 * e-mails are unique), each with its exact cursor key, read in as many calls as its rows need.
 */
export function listUsers(db: Db, filter: { role?: UserRole; email?: string }, page: { after?: CreatedKey; limit: number }) {
  return readByKey(page, userPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('users').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    const { email } = filter;
    if (email !== undefined) query = query.where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

const userRow = readBound(tableWidths.users, 1);
const userPage = readBound({ ...tableWidths.users, created_at_key: instantKeyWidth });

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertUserIfAbsent: userRow,
  insertUserFromToken: userRow,
  findUserById: userRow,
  lockUserById: userRow,
  lockUserByEmail: userRow,
  findUserByEmail: userRow,
  updateUserEmail: userRow,
  updateUserRole: NO_ROWS,
  listUsers: userPage,
};
