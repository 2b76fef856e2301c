import { type CompiledQuery, sql } from 'kysely';
import type { Db } from '../db/client';
import { NO_ROWS, readBound, width } from '../db/result-size';
import type { IdempotencyRecordsTable } from '../db/schema';
import { namesOf, omit, pick, tableWidths } from '../db/table-widths';

type RecordStatus = IdempotencyRecordsTable['status'];

/**
 * The expiry (in seconds) below which a record has expired at `nowMs`, as Powertools counts it
 * (expiry × 1000 < now): compared in whole seconds, so the expiry index serves.
 */
export const expiredBefore = (nowMs: number) => Math.ceil(nowMs / 1000);

/** A record as the idempotency layer reads it back (its id is what it asked for). */
const recordWidths = omit(tableWidths.idempotency_records, 'id', 'created_at');
const recordColumns = namesOf(recordWidths);

export interface IdempotencyRecordRow {
  status: RecordStatus;
  /** Seconds since the epoch (Powertools' convention); bigint arrives as text over pg. */
  expiry_timestamp: string | number;
  /** Milliseconds since the epoch. */
  in_progress_expiry_timestamp: string | number | null;
  payload_hash: string | null;
  response_data: string | null;
  committed_at: Date | null;
}

/**
 * Claims a key for a request about to run: inserts its record, or takes over one whose window
 * has passed, or whose in-progress lease ran out before its change committed (the invocation
 * died first). False when the key is someone else's: running, done, or its change committed.
 */
export async function claimRecord(
  db: Db,
  record: { id: string; status: RecordStatus; expirySeconds: number; inProgressExpiryMs: number | null; payloadHash: string | null },
  nowMs: number,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO idempotency_records (id, status, expiry_timestamp, in_progress_expiry_timestamp, payload_hash)
    VALUES (${record.id}, ${record.status}, ${record.expirySeconds}, ${record.inProgressExpiryMs}, ${record.payloadHash})
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, expiry_timestamp = excluded.expiry_timestamp,
      in_progress_expiry_timestamp = excluded.in_progress_expiry_timestamp, payload_hash = excluded.payload_hash,
      response_data = NULL, committed_at = NULL, created_at = now()
    WHERE idempotency_records.expiry_timestamp < ${expiredBefore(nowMs)}
      OR (idempotency_records.status = 'INPROGRESS' AND idempotency_records.committed_at IS NULL
        AND idempotency_records.in_progress_expiry_timestamp < ${nowMs})
    RETURNING id`.execute(db);
  return rows.length === 1;
}

export async function findRecord(db: Db, id: string): Promise<IdempotencyRecordRow | undefined> {
  return db.selectFrom('idempotency_records').select(recordColumns).where('id', '=', id).executeTakeFirst();
}

/**
 * The statement that marks a key's change committed, for the transaction of that change to run
 * before it commits (db/commit-hooks.ts): it updates the key's row while its request runs, and
 * none in a transaction that has written nothing (Postgres has given it no transaction id), as
 * such a transaction changes nothing the key protects.
 */
export function markCommittedStatement(db: Db, id: string): CompiledQuery {
  return db
    .updateTable('idempotency_records')
    .set({ committed_at: sql`coalesce(committed_at, now())` })
    .where('id', '=', id)
    .where('status', '=', 'INPROGRESS')
    .where(sql<boolean>`pg_current_xact_id_if_assigned() IS NOT NULL`)
    .compile();
}

/** The statement that tells whether the transaction it runs in has written nothing yet. */
export function wroteNothingStatement(db: Db): CompiledQuery<{ wrote_nothing: boolean }> {
  return sql<{ wrote_nothing: boolean }>`SELECT pg_current_xact_id_if_assigned() IS NULL AS wrote_nothing`.compile(db);
}

/** The request ran to its end: its record is complete, with the response to replay (null: not kept). */
export async function completeRecord(db: Db, id: string, completed: { expirySeconds: number; response: string | null }): Promise<void> {
  await db
    .updateTable('idempotency_records')
    .set({ status: 'COMPLETED', expiry_timestamp: completed.expirySeconds, response_data: completed.response })
    .where('id', '=', id)
    .execute();
}

/**
 * The request failed: a key whose change never committed is forgotten, so the client may try
 * again; one whose change committed before the failure stays, complete without a response.
 */
export async function releaseRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom('idempotency_records').where('id', '=', id).where('committed_at', 'is', null).execute();
  await db
    .updateTable('idempotency_records')
    .set({ status: 'COMPLETED', response_data: null })
    .where('id', '=', id)
    .where('committed_at', 'is not', null)
    .execute();
}

/** Deletes up to `limit` records whose window ended before `beforeSeconds`; returns how many. */
export async function purgeExpiredRecords(db: Db, beforeSeconds: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_records')
    .where('id', 'in', (eb) =>
      eb.selectFrom('idempotency_records').select('id').where('expiry_timestamp', '<', beforeSeconds).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  claimRecord: readBound(pick(tableWidths.idempotency_records, 'id'), 1),
  findRecord: readBound(recordWidths, 1),
  markCommittedStatement: NO_ROWS,
  wroteNothingStatement: readBound({ wrote_nothing: width.bool }, 1),
  completeRecord: NO_ROWS,
  releaseRecord: NO_ROWS,
  purgeExpiredRecords: NO_ROWS,
};
