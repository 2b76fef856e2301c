import type { Db } from '../db/client';
import { ConflictError } from '../errors';
import type { Caller } from '../http/caller';
import { findUserById, insertUserIfAbsent, updateUserRole } from './users.repository';

/** Callers already known to exist in this container: a warm Lambda skips the round trip. */
const provisioned = new Set<string>();

/**
 * Makes sure the caller has a users row (first call creates it from the token's claims) and
 * that its role follows the identity provider's groups.
 */
export async function provisionCaller(db: Db, caller: Caller): Promise<void> {
  const key = `${caller.id}:${caller.role}`;
  if (provisioned.has(key)) return;

  const inserted = await insertUserIfAbsent(db, caller);
  if (inserted === undefined) {
    const existing = await findUserById(db, caller.id);
    if (existing === undefined) {
      throw new ConflictError(`The email ${caller.email} is registered to another user`);
    }
    if (existing.role !== caller.role) await updateUserRole(db, caller.id, caller.role);
  }
  provisioned.add(key);
}

/** Forgets which callers were provisioned (tests empty the users table between cases). */
export function resetProvisionedCallers(): void {
  provisioned.clear();
}
