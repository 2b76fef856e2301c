import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { ConflictError } from '../errors';
import type { Caller } from '../identity/caller';
import type { CreateUserInput } from './schemas';
import { type User, toUser } from './user';
import { findUserByEmail, insertUserIfAbsent } from './users.repository';

/**
 * An admin pre-registers a user (the identity provider's subject) so tokens can be issued to
 * them before their first sign-in. An id or email already registered is a 409.
 */
export async function createUser(db: Db, admin: Caller, input: CreateUserInput): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const row = await insertUserIfAbsent(trx, { ...input, name: input.name ?? null });
    if (row === undefined) {
      const holder = await findUserByEmail(trx, input.email);
      // The holder's id, so an admin can clear an address registered to the wrong user (PATCH /api/users/{id}).
      const taken = holder === undefined ? `id ${input.id}` : `email ${input.email} (user ${holder.id})`;
      throw new ConflictError(`A user with ${taken} is already registered`);
    }
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'user.register',
      target: { user_id: row.id },
      details: { email: row.email, role: row.role },
    });
    return toUser(row);
  });
}
