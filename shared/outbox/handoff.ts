import type { Db } from '../db/client';
import { logger } from '../logger';
import { type DeliveryReport, deliverClaimed, type RefusalConsequences } from './deliver';
import type { OutboxMessage } from './message';
import { claimSubjectMessages, insertOutboxMessage } from './outbox.repository';

/** The relay leaves a new message to the producer that wrote it for this long. */
export const PRODUCER_TURN_MS = 30_000;
/** A delivery holds the messages it took this long: longer than any call it makes. */
export const DELIVERY_LEASE_MS = 30_000;
/** A producer answers its caller: it waits this long at most for each call. */
const PRODUCER_CALL_TIMEOUT_MS = 3_000;

/**
 * Records a hand-off in the caller's transaction, so it commits or rolls back with the state
 * change it follows. After the commit the producer delivers it with `deliverHandoffs`; if that
 * fails, the relay does.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await updateRedemption(trx, id, { status: 'processing' });
 *   await recordHandoff(trx, approvalHandoff(id, token, adminId));
 * });
 * await deliverHandoffs(db, { subjectId: id, kind: 'redemption.approve' });
 */
export async function recordHandoff(trx: Db, message: OutboxMessage, now: Date = new Date()): Promise<void> {
  await insertOutboxMessage(trx, message, new Date(now.getTime() + PRODUCER_TURN_MS));
}

/** Records a message only the relay delivers (the reconciler's heals: it does not call other services itself). */
export async function recordForRelay(trx: Db, message: OutboxMessage, now: Date = new Date()): Promise<void> {
  await insertOutboxMessage(trx, message, now);
}

/**
 * After the commit: delivers the subject's pending hand-offs at once, each call bounded in
 * time, and reports what became of them. Never throws: the state change has committed, and
 * whatever could not be delivered here the relay delivers.
 */
export async function deliverHandoffs(
  db: Db,
  subject: { subjectId: string; kind?: string },
  options: { refusals?: RefusalConsequences } = {},
): Promise<DeliveryReport[]> {
  try {
    const now = new Date();
    const rows = await claimSubjectMessages(db, subject, now, new Date(now.getTime() + DELIVERY_LEASE_MS));
    return await deliverClaimed(db, rows, { callTimeoutMs: PRODUCER_CALL_TIMEOUT_MS, refusals: options.refusals ?? {}, now: () => new Date() });
  } catch (error) {
    logger.warn('Hand-off not delivered now; the relay will', { subject_id: subject.subjectId, kind: subject.kind, error: (error as Error).message });
    return [];
  }
}

/** Records a hand-off on its own (its state change has committed already) and delivers it now. */
export async function handOff(db: Db, message: OutboxMessage): Promise<DeliveryReport[]> {
  await recordHandoff(db, message);
  return deliverHandoffs(db, { subjectId: message.subjectId, kind: message.kind });
}
