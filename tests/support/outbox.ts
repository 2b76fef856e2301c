import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { relayOutbox } from '../../shared/outbox/relay';
import { reconcile } from '../../shared/reconcile/reconcile';
import { redemptionRefusals } from '../../shared/redemptions/handoff-refusals';
import { describeExecution, executionArnOf } from '../../shared/workflow/step-functions';

const MINUTE = 60_000;
const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE);

/** Every outbox message, oldest first. */
export async function outboxMessages() {
  const { rows } = await sql<{ id: string; kind: string; subject_id: string; status: string; attempts: number; last_error: string | null }>`
    SELECT id, kind, subject_id::text AS subject_id, status, attempts, last_error FROM outbox_messages ORDER BY created_at, id`.execute(getDb());
  return rows;
}

/** One run of the relay `minutes` from now (its producer's turn and the backoff have passed by then). */
export const relayIn = (minutes: number) =>
  relayOutbox(getDb(), { refusals: redemptionRefusals, hasTimeLeft: () => true, now: () => later(minutes) });

/**
 * One run of the relay now: it delivers what is due at once, the domain events and approvers'
 * notices (shared/events/), while every hand-off is still in its producer's turn (30 s).
 */
export const relayNow = () => relayIn(0);

/** One run of the reconciler `minutes` from now, asking the Step Functions endpoint the environment names. */
export const reconcileIn = (minutes: number) =>
  reconcile(getDb(), {
    now: later(minutes),
    describe: (name) => describeExecution(executionArnOf(process.env.REDEMPTION_STATE_MACHINE_ARN ?? '', name)),
  });

/** Statuses in which a row waits on nothing, or on a person with a deadline. */
export async function waitingRows() {
  const { rows } = await sql<{ what: string; id: string; status: string }>`
    SELECT 'outbox' AS what, id::text AS id, status FROM outbox_messages WHERE status = 'pending'
    UNION ALL SELECT 'redemption', id::text, status FROM redemption_requests WHERE status IN ('pending', 'processing')
    UNION ALL SELECT 'distribution', id::text, status FROM distribution_events WHERE status = 'calculating'`.execute(getDb());
  return rows;
}
