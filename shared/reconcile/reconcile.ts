import type { Db } from '../db/client';
import { type DescribeByName, settleEndedWorkflows } from './ended-workflows';
import { purgeExpiredIdempotencyRecords } from './expired-idempotency-records';
import type { Findings } from './findings';
import { inspectOutbox, type OutboxHealth } from './outbox-backlog';
import { healStalledCalculations } from './stalled-calculations';
import { healUnplannedRedemptions } from './unplanned-redemptions';
import { expireOverdueProposals } from './expired-proposals';

export interface ReconcileReport extends Findings {
  outbox: OutboxHealth;
  /** Idempotency records past their window, deleted by this run. */
  idempotencyRecordsPurged: number;
}

/**
 * One run of the reconciler: finds work that waits past its time, heals what it can (sends it
 * again through the outbox, or ends it with its reason) and returns what it healed and what it
 * could not, for the caller to report. Each check is bounded; what is left waits for the next run.
 * It also ends dual-control proposals past their window and deletes the idempotency records whose window has ended.
 */
export async function reconcile(db: Db, options: { now: Date; describe: DescribeByName }): Promise<ReconcileReport> {
  const checks = [
    await healStalledCalculations(db, options.now),
    await healUnplannedRedemptions(db, options.now),
    await settleEndedWorkflows(db, options.now, options.describe),
    await expireOverdueProposals(db, options.now),
  ];
  const outbox = await inspectOutbox(db, options.now);
  const idempotencyRecordsPurged = await purgeExpiredIdempotencyRecords(db, options.now);
  return {
    healed: [...checks.flatMap((check) => check.healed), ...outbox.healed],
    unhealed: [...checks.flatMap((check) => check.unhealed), ...outbox.unhealed],
    outbox: outbox.health,
    idempotencyRecordsPurged,
  };
}
