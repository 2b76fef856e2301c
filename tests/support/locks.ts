import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { uuid } from '../../shared/db/sql-values';

/**
 * Runs `during` while the test holds a row lock (`FOR UPDATE`) on one users row, and releases it
 * when `during` ends. A request whose transaction writes a row referencing that user (its
 * foreign-key check takes `FOR KEY SHARE`) stops there, holding every lock it took before: a
 * way to pause a request at a known point of its transaction and interleave another with it.
 */
export async function whileUserRowLocked<T>(userId: string, during: () => Promise<T>): Promise<T> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await sql`SELECT id FROM users WHERE id = ${uuid(userId)} FOR UPDATE`.execute(trx);
      return during();
    });
}

/** Sessions of this test's database that wait for a lock right now. */
async function lockWaiterCount(): Promise<number> {
  const { rows } = await sql<{ waiting: number }>`
    SELECT count(*)::int AS waiting FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(getDb());
  return rows[0]?.waiting ?? 0;
}

/**
 * Resolves once `count` sessions wait for a lock, or once `orSettled` has settled (a request that
 * never reaches the lock answers instead); rejects after `timeoutMs`.
 */
export async function lockWaiters(count: number, orSettled?: Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  let settled = false;
  const markSettled = () => {
    settled = true;
  };
  orSettled?.then(markSettled, markSettled);
  const deadline = Date.now() + timeoutMs;
  while (!settled && (await lockWaiterCount()) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions waited for a lock within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
