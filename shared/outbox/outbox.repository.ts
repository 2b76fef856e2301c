import type { Db } from '../db/client';
import { NO_ROWS, readBound, width } from '../db/result-size';
import { jsonb, timestamptz, uuid } from '../db/sql-values';
import { OUTBOX_ERROR_MAX_CHARS, OUTBOX_PAYLOAD_MAX_CHARS, pick, tableWidths } from '../db/table-widths';
import { storableText } from '../http/schemas';
import type { OutboxMessage, OutboxRow } from './message';

/**
 * SQL of the outbox. Times are passed in (never the database's now()) so that one clock, the
 * caller's, decides what is due; tests move it forward.
 */

/** Writes a message; call it with the transaction of the state change it follows. */
export async function insertOutboxMessage(trx: Db, message: OutboxMessage, nextAttemptAt: Date): Promise<string> {
  const row = await trx
    .insertInto('outbox_messages')
    .values({
      kind: message.kind,
      subject_id: uuid(message.subjectId),
      destination: message.destination,
      payload: jsonb(message.payload, OUTBOX_PAYLOAD_MAX_CHARS),
      next_attempt_at: timestamptz(nextAttemptAt),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const messageRows = readBound(tableWidths.outbox_messages);
const undeliveredWidths = pick(tableWidths.outbox_messages, 'id', 'kind', 'subject_id', 'attempts', 'last_error');
const undeliveredRows = readBound(undeliveredWidths);

const oldestFirst = (rows: OutboxRow[]) => rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());

/**
 * Takes a subject's pending messages that no delivery holds, for the producer to deliver now
 * (their turn comes before the relay's), as many as one answer holds (a subject has a handful;
 * any left are the relay's). Each taken message counts an attempt.
 */
export async function claimSubjectMessages(db: Db, subject: { subjectId: string; kind?: string }, now: Date, lockUntil: Date): Promise<OutboxRow[]> {
  const kind = subject.kind;
  const query = db
    .updateTable('outbox_messages')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: timestamptz(lockUntil) }))
    .where('subject_id', '=', uuid(subject.subjectId))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', timestamptz(now))]))
    .where('id', 'in', (eb) => {
      const pending = eb
        .selectFrom('outbox_messages')
        .select('id')
        .where('subject_id', '=', uuid(subject.subjectId))
        .where('status', '=', 'pending')
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', timestamptz(now))]));
      return (kind === undefined ? pending : pending.where('kind', '=', kind)).orderBy('created_at').limit(messageRows.rowsPerCall);
    });
  return oldestFirst(await query.returningAll().execute());
}

/** Takes up to `limit` messages that are due and that no delivery holds, for the relay. */
export async function claimDueMessages(db: Db, now: Date, lockUntil: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await db
    .updateTable('outbox_messages')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: timestamptz(lockUntil) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', timestamptz(now))
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', timestamptz(now))]))
        .orderBy('next_attempt_at')
        .limit(Math.min(limit, messageRows.rowsPerCall))
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return oldestFirst(rows);
}

/** Settles a pending message; false when it was already settled (another delivery got there first). */
async function settle(db: Db, id: string, status: 'delivered' | 'refused' | 'dead', now: Date, error: string | null): Promise<boolean> {
  const result = await db
    .updateTable('outbox_messages')
    .set({ status, settled_at: timestamptz(now), locked_until: null, last_error: error === null ? null : storableText(error, OUTBOX_ERROR_MAX_CHARS) })
    .where('id', '=', uuid(id))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const markDelivered = (db: Db, id: string, now: Date) => settle(db, id, 'delivered', now, null);
export const markRefused = (trx: Db, id: string, now: Date, error: string) => settle(trx, id, 'refused', now, error);
export const markDead = (db: Db, id: string, now: Date, error: string) => settle(db, id, 'dead', now, error);

/** Leaves a message for the relay to try again at `nextAttemptAt`. */
export async function markForRetry(db: Db, id: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set({ next_attempt_at: timestamptz(nextAttemptAt), locked_until: null, last_error: storableText(error, OUTBOX_ERROR_MAX_CHARS) })
    .where('id', '=', uuid(id))
    .where('status', '=', 'pending')
    .execute();
}

/** Whether a subject has a message of this kind still to deliver (the relay's work, not the reconciler's). */
export async function hasPendingMessage(db: Db, subjectId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox_messages')
    .select('id')
    .where('subject_id', '=', uuid(subjectId))
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest message of a kind for a subject, whatever its status. */
export async function latestMessage(db: Db, subjectId: string, kind: string): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('subject_id', '=', uuid(subjectId))
    .where('kind', '=', kind)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Pending messages written before `before`, oldest first (up to `limit`, or what one answer holds): what the relay has not managed to deliver. */
export async function undeliveredSince(db: Db, before: Date, limit: number) {
  return db
    .selectFrom('outbox_messages')
    .select(['id', 'kind', 'subject_id', 'attempts', 'last_error'])
    .where('status', '=', 'pending')
    .where('created_at', '<', timestamptz(before))
    .orderBy('created_at')
    .limit(Math.min(limit, undeliveredRows.rowsPerCall))
    .execute();
}

/** When the oldest pending message was written, and how many messages are dead. */
export async function outboxBacklog(db: Db): Promise<{ oldestPendingAt: Date | null; dead: number }> {
  const oldest = await db
    .selectFrom('outbox_messages')
    .select('created_at')
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  const dead = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'dead')
    .executeTakeFirstOrThrow();
  return { oldestPendingAt: oldest === undefined ? null : new Date(oldest.created_at), dead: Number(dead.n) };
}

/** Deletes up to `limit` messages delivered or refused before `before`; returns how many. */
export async function purgeSettledMessages(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('outbox_messages')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', 'in', ['delivered', 'refused'])
        .where('settled_at', '<', timestamptz(before))
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What each read above answers at most, `limit` notwithstanding (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertOutboxMessage: readBound(pick(tableWidths.outbox_messages, 'id'), 1),
  claimSubjectMessages: messageRows,
  claimDueMessages: messageRows,
  hasPendingMessage: readBound(pick(tableWidths.outbox_messages, 'id'), 1),
  latestMessage: readBound(tableWidths.outbox_messages, 1),
  undeliveredSince: undeliveredRows,
  outboxBacklog: readBound({ created_at: width.timestamptz, n: width.int8 }, 1),
  markDelivered: NO_ROWS,
  markRefused: NO_ROWS,
  markDead: NO_ROWS,
  markForRetry: NO_ROWS,
  purgeSettledMessages: NO_ROWS,
};
