import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { sqlStateOf } from '../db/database-errors';
import { ConflictError, NotFoundError } from '../errors';
import type { Caller } from '../identity/caller';
import { type User, toUser } from './user';
import { findUserByEmail, lockUserById, updateUserEmail } from './users.repository';

/**
 * An admin sets or clears a user's e-mail: for a user whose identity provider vouches for none,
 * or to move an address an admin registered to the wrong user. It never takes an e-mail from
 * another user (409: clear it there first), and it lasts until the user's identity provider
 * gives a newer verified word (a token issued after this change).
 */
export async function setUserEmail(db: Db, admin: Caller, userId: string, email: string | null): Promise<User> {
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await lockUserById(trx, userId);
      if (user === undefined) throw new NotFoundError('User', userId);
      if (email !== null) {
        const holder = await findUserByEmail(trx, email);
        if (holder !== undefined && holder.id !== userId) throw emailTaken(email, holder.id);
      }
      const updated = await updateUserEmail(trx, userId, email, 'now');
      await recordAdminAction(trx, {
        adminId: admin.id,
        action: 'user.email_change',
        target: { user_id: userId },
        details: { previous_email: user.email, email, source: 'admin' },
      });
      return toUser(updated);
    });
  } catch (error) {
    // Another request gave the e-mail to someone else between the check and the write.
    if (email !== null && sqlStateOf(error) === '23505') throw emailTaken(email, null, error);
    throw error;
  }
}

const emailTaken = (email: string, holderId: string | null, cause?: unknown) =>
  new ConflictError(
    `The email ${email} belongs to ${holderId === null ? 'another user' : `user ${holderId}`}; clear it there first`,
    holderId === null ? {} : { holder_id: holderId },
    { cause },
  );
