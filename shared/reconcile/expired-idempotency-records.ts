import type { Db } from '../db/client';
import { expiredBefore, purgeExpiredRecords } from '../http/idempotency-records.repository';

/** Records deleted per statement, and statements per run: a backlog is worked off over a few runs. */
const PURGE_BATCH = 1_000;
const MAX_BATCHES_PER_RUN = 10;

/**
 * Deletes the idempotency records whose window (KEY_LIFETIME_SECONDS in shared/http/idempotency-key.ts)
 * ended before `now`. Their keys are forgotten already (a new request takes an expired record
 * over); this keeps the table from growing. Returns how many it deleted.
 */
export async function purgeExpiredIdempotencyRecords(db: Db, now: Date): Promise<number> {
  const beforeSeconds = expiredBefore(now.getTime());
  let purged = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const deleted = await purgeExpiredRecords(db, beforeSeconds, PURGE_BATCH);
    purged += deleted;
    if (deleted < PURGE_BATCH) break;
  }
  return purged;
}
