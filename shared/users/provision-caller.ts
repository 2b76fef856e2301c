import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { sqlStateOf } from '../db/database-errors';
import type { UserRow } from '../db/schema';
import type { CallerFromToken } from '../identity/caller';
import { isNewerWord } from './email-ownership';
import { findUserById, insertUserFromToken, lockUserByEmail, lockUserById, updateUserEmail, updateUserRole } from './users.repository';

/** Tokens already brought into the users table by this container: a warm Lambda skips the round trip. */
const provisioned = new Set<string>();

/** What the identity provider said, in the audit rows of what it changed (admin_id is null: the platform acted on its word). */
const SOURCE = 'identity_provider';

/**
 * Keeps the caller's users row in step with their token: the first call creates it, and later
 * calls bring the role (the `admin` group) and the verified e-mail over, each change audited in
 * its transaction. An e-mail another user holds passes to the caller when the caller's token is
 * the newer word (see email-ownership.ts); the previous holder keeps working, without it. No
 * e-mail ever refuses a call.
 */
export async function provisionCaller(db: Db, caller: CallerFromToken): Promise<void> {
  const key = [caller.id, caller.role, caller.email ?? '', caller.tokenIssuedAt.getTime()].join(' ');
  if (provisioned.has(key)) return;
  const current = await findUserById(db, caller.id);
  if (current === undefined || differs(current, caller)) {
    await withRetries(() => db.transaction().execute((trx) => bringInStep(trx, caller)));
  }
  provisioned.add(key);
}

/** Whether the token may change the row (the e-mail may still stay where it is: another user's newer word). */
function differs(row: UserRow, caller: CallerFromToken): boolean {
  const newEmail = caller.email !== null && caller.email !== row.email && isNewerWord(caller.tokenIssuedAt, row.email_set_at);
  return newEmail || row.role !== caller.role;
}

async function bringInStep(trx: Db, caller: CallerFromToken): Promise<void> {
  const row = await lockUserById(trx, caller.id);
  const email = await emailToTake(trx, caller, row);
  if (row === undefined) {
    const inserted = await insertUserFromToken(trx, {
      id: caller.id,
      email: email ?? null,
      emailSetAt: email === undefined ? null : caller.tokenIssuedAt,
      name: caller.name,
      role: caller.role,
    });
    if (inserted === undefined) throw new ConcurrentChange('the caller was provisioned meanwhile');
    await recordAdminAction(trx, {
      adminId: null,
      action: 'user.provision',
      target: { user_id: caller.id },
      details: { email: inserted.email, role: inserted.role, source: SOURCE },
    });
    return;
  }
  if (email !== undefined) {
    await updateUserEmail(trx, caller.id, email, { at: caller.tokenIssuedAt });
    await recordAdminAction(trx, {
      adminId: null,
      action: 'user.email_change',
      target: { user_id: caller.id },
      details: { previous_email: row.email, email, source: SOURCE },
    });
  }
  if (row.role !== caller.role) {
    await updateUserRole(trx, caller.id, caller.role);
    await recordAdminAction(trx, {
      adminId: null,
      action: 'user.role_change',
      target: { user_id: caller.id },
      details: { previous_role: row.role, role: caller.role, source: SOURCE },
    });
  }
}

/**
 * The e-mail the caller's row should take from the token, or undefined to leave it: only a
 * verified e-mail, only when newer than the caller's own, and, held by another user, only when
 * newer than theirs (whose copy is then cleared, audited).
 */
async function emailToTake(trx: Db, caller: CallerFromToken, row: UserRow | undefined): Promise<string | undefined> {
  if (caller.email === null || caller.email === row?.email) return undefined;
  if (row !== undefined && !isNewerWord(caller.tokenIssuedAt, row.email_set_at)) return undefined;
  const holder = await lockUserByEmail(trx, caller.email);
  if (holder !== undefined && holder.id !== caller.id) {
    if (!isNewerWord(caller.tokenIssuedAt, holder.email_set_at)) return undefined;
    await updateUserEmail(trx, holder.id, null, 'now');
    await recordAdminAction(trx, {
      adminId: null,
      action: 'user.email_release',
      target: { user_id: holder.id },
      details: { email: holder.email, taken_by: caller.id },
    });
  }
  return caller.email;
}

/** Another call changed the same rows first; trying again sees what it committed. */
class ConcurrentChange extends Error {}

/** unique_violation (an e-mail or id written meanwhile), deadlock_detected (two users swapping e-mails). */
const RETRYABLE_STATES = new Set(['23505', '40P01']);
const ATTEMPTS = 3;

async function withRetries(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const retryable = error instanceof ConcurrentChange || RETRYABLE_STATES.has(sqlStateOf(error) ?? '');
      if (!retryable || attempt === ATTEMPTS) throw error;
    }
  }
}

/** Forgets which callers were provisioned (tests empty the users table between cases). */
export function resetProvisionedCallers(): void {
  provisioned.clear();
}
