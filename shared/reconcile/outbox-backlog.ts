import type { Db } from '../db/client';
import { outboxBacklog, undeliveredSince } from '../outbox/outbox.repository';
import { type Findings, noFindings } from './findings';
import { ITEMS_PER_RUN, THRESHOLDS } from './thresholds';

export interface OutboxHealth {
  /** Age of the oldest message not yet delivered; 0 when there is none. */
  oldestUndeliveredAgeMs: number;
  /** Messages that can never be delivered, waiting for an operator. */
  deadMessages: number;
}

/**
 * The outbox as the relay leaves it. Messages still pending past THRESHOLDS.outboxOverdueMs (an
 * approval that never reached its workflow, a start that never happened …) are the relay's to
 * deliver, not the reconciler's: they are reported.
 */
export async function inspectOutbox(db: Db, now: Date): Promise<Findings & { health: OutboxHealth }> {
  const findings = noFindings();
  for (const message of await undeliveredSince(db, new Date(now.getTime() - THRESHOLDS.outboxOverdueMs), ITEMS_PER_RUN)) {
    findings.unhealed.push({
      kind: 'outbox-undelivered',
      subjectId: message.subject_id,
      detail: `${message.kind} (message ${message.id}) not delivered after ${message.attempts} attempts: ${message.last_error ?? 'not tried yet'}`,
    });
  }
  const backlog = await outboxBacklog(db);
  const health = {
    oldestUndeliveredAgeMs: backlog.oldestPendingAt === null ? 0 : Math.max(0, now.getTime() - backlog.oldestPendingAt.getTime()),
    deadMessages: backlog.dead,
  };
  return { ...findings, health };
}
