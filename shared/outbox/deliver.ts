import * as z from '../zod';
import type { Db } from '../db/client';
import { logger } from '../logger';
import { retryDelayMs } from './backoff';
import { type FailureMeaning, meaningOf, send } from './destinations';
import { deliveryOf, type OutboxRow } from './message';
import { markDead, markDelivered, markForRetry, markRefused } from './outbox.repository';

/**
 * What follows when a receiver refuses a message of a kind (a task token that no longer waits):
 * the change it meant to cause is undone or recorded otherwise. Runs in the transaction that
 * marks the message refused.
 */
export type RefusalConsequence = (trx: Db, message: OutboxRow) => Promise<void>;
export type RefusalConsequences = Readonly<Record<string, RefusalConsequence>>;

export type DeliveryResult = 'delivered' | 'refused' | 'dead' | 'retrying';

export interface DeliveryReport {
  id: string;
  kind: string;
  subjectId: string;
  result: DeliveryResult;
}

export interface DeliveryOptions {
  /** Bounds each call to the receiving service, its SDK retries included. */
  callTimeoutMs: number;
  refusals: RefusalConsequences;
  now: () => Date;
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2_000);

/**
 * Sends messages this caller has claimed, one after the other, and records each outcome:
 * delivered, refused (with its kind's consequence, in one transaction), dead on a permanent
 * error, or left for the relay's next try after a backoff.
 */
export async function deliverClaimed(db: Db, rows: readonly OutboxRow[], options: DeliveryOptions): Promise<DeliveryReport[]> {
  const reports: DeliveryReport[] = [];
  for (const row of rows) {
    reports.push({ id: row.id, kind: row.kind, subjectId: row.subject_id, result: await deliverOne(db, row, options) });
  }
  return reports;
}

async function deliverOne(db: Db, row: OutboxRow, options: DeliveryOptions): Promise<DeliveryResult> {
  let meaning: FailureMeaning = 'delivered';
  let failure: unknown;
  try {
    await send(deliveryOf(row), AbortSignal.timeout(options.callTimeoutMs));
  } catch (error) {
    failure = error;
    // A payload its own schema refuses can never be sent.
    meaning = error instanceof z.ZodError ? 'permanent' : meaningOf(row.destination, error);
  }
  const now = options.now();
  const context = { outbox_message_id: row.id, kind: row.kind, subject_id: row.subject_id, attempts: row.attempts };
  switch (meaning) {
    case 'delivered':
      await markDelivered(db, row.id, now);
      return 'delivered';
    case 'refused':
      await db.transaction().execute(async (trx) => {
        if (await markRefused(trx, row.id, now, errorText(failure))) await options.refusals[row.kind]?.(trx, row);
      });
      logger.warn('Outbox message refused by its receiver', { ...context, error: errorText(failure) });
      return 'refused';
    case 'permanent':
      await markDead(db, row.id, now, errorText(failure));
      logger.error('Outbox message is dead: it can never be delivered', { ...context, error: errorText(failure) });
      return 'dead';
    case 'transient': {
      const next = new Date(now.getTime() + retryDelayMs(row.attempts));
      await markForRetry(db, row.id, next, errorText(failure));
      logger.warn('Outbox delivery failed; the relay retries it', { ...context, error: errorText(failure), next_attempt_at: next.toISOString() });
      return 'retrying';
    }
  }
}
