import { createHash } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type BeforeCommit, beforeEachCommit } from '../db/commit-hooks';
import { getDb } from '../db/client';
import { IDEMPOTENT_RESPONSE_MAX_BYTES } from '../db/table-widths';
import { ConflictError, RuleViolationError } from '../errors';
import { logger } from '../logger';
import { KEY_LIFETIME_SECONDS } from './idempotency-key';
import {
  claimRecord,
  completeRecord,
  findRecord,
  type IdempotencyRecordRow,
  markCommittedStatement,
  releaseRecord,
  wroteNothingStatement,
} from './idempotency-records.repository';

/** Lambda's limit on a function's name, which prefixes every record id. */
const LAMBDA_NAME_MAX_CHARS = 64;

/** How often a claim is tried again when the record it lost to is gone or expired by the time it is read. */
const CLAIM_RETRIES = 2;

export interface IdempotentRequest {
  /** Scoped to the caller and route, so one client's key never replays another's response. */
  key: string;
  /** What a repeat must match: a key reused with a different request is refused. */
  request: unknown;
}

/** Object keys sorted case-insensitively, at every depth: the form keys and payloads are hashed in. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortedDeep(item)]));
}

/** MD5 in base64 of the value's sorted JSON: how Powertools Idempotency hashed, which wrote the records before. */
const hashOf = (value: unknown) => createHash('md5').update(JSON.stringify(sortedDeep(value))).digest('base64');

/** What a response costs in a Data API answer: its JSON text as an escaped string, in UTF-8. */
const answerBytesOf = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

/** A record whose change committed and whose request has ended (or died): its key never runs again. */
const carriedOut = (row: IdempotencyRecordRow, nowMs: number) =>
  row.committed_at !== null && (row.status === 'COMPLETED' || Number(row.in_progress_expiry_timestamp ?? 0) < nowMs);

/** The answer to a repeat of a key whose record someone else holds; undefined when the record expired meanwhile. */
function answerFrom<T>(row: IdempotencyRecordRow, payloadHash: string, nowMs: number): { response: T } | undefined {
  if (row.payload_hash !== payloadHash) throw new RuleViolationError('This Idempotency-Key was already used with a different request');
  if (nowMs / 1000 > Number(row.expiry_timestamp)) return undefined;
  if (row.status === 'INPROGRESS' && !carriedOut(row, nowMs)) throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
  if (row.response_data === null) {
    throw new ConflictError('The request with this Idempotency-Key was already carried out, but its response was not kept; read the resource to see its result');
  }
  return { response: JSON.parse(row.response_data) as T };
}

/** Marks the key's record in each transaction the work commits; a transaction that wrote something must find it. */
function markCommitted(id: string): BeforeCommit {
  const mark = markCommittedStatement(getDb(), id);
  const wroteNothing = wroteNothingStatement(getDb());
  return async (connection) => {
    const { numAffectedRows } = await connection.executeQuery(mark);
    if (numAffectedRows === 1n) return;
    const { rows } = await connection.executeQuery<{ wrote_nothing: boolean }>(wroteNothing);
    // The record is this request's while it runs; without it the change must not commit.
    if (rows[0]?.wrote_nothing !== true) throw new Error('The Idempotency-Key record of this request is gone; its change is rolled back');
  };
}

/**
 * Wraps a route's work so a POST carrying an `Idempotency-Key` runs once: a repeat returns the
 * stored response; a concurrent repeat is a 409; the same key with another request a 422.
 *
 * Every transaction the work commits also marks the key's record, in that transaction: once the
 * change has committed, the key never runs again, even if the invocation dies before its record
 * is completed or the work fails afterwards. A repeat of such a key, or of one whose response
 * was too large to keep, is a 409 saying the request was carried out. A failure before any
 * commit is not stored, so the client may retry it.
 *
 * Records (idempotency_records) keep the format Powertools Idempotency gave them: the id is the
 * function's name, '#' and the key's hash (at most 89 of the column's 255 characters), expiry in
 * seconds, the in-progress lease in milliseconds (the invocation's remaining time).
 *
 * @example
 * const idempotent = idempotentRunner<HttpResult>();
 * const result = await idempotent({ key: `${caller.id} POST /api/projects ${key}`, request: { body } }, context, () => create());
 */
export function idempotentRunner<T>() {
  const prefix = (process.env.AWS_LAMBDA_FUNCTION_NAME ?? '').slice(0, LAMBDA_NAME_MAX_CHARS);
  return async (request: IdempotentRequest, context: Context, work: () => Promise<T>): Promise<T> => {
    const id = `${prefix}#${hashOf(request.key)}`;
    const payloadHash = hashOf(request.request);
    for (let attempt = 0; ; attempt += 1) {
      const nowMs = Date.now();
      const record = {
        id,
        status: 'INPROGRESS' as const,
        expirySeconds: Math.round(nowMs / 1000 + KEY_LIFETIME_SECONDS),
        inProgressExpiryMs: nowMs + context.getRemainingTimeInMillis(),
        payloadHash,
      };
      if (await claimRecord(getDb(), record, nowMs)) break;
      const row = await findRecord(getDb(), id);
      const answer = row === undefined ? undefined : answerFrom<T>(row, payloadHash, Date.now());
      if (answer !== undefined) return answer.response;
      if (attempt === CLAIM_RETRIES) throw new Error(`The Idempotency-Key record ${id} changed under ${attempt + 1} claims`);
    }
    let result: T;
    try {
      result = await beforeEachCommit(markCommitted(id), work);
    } catch (error) {
      await releaseRecord(getDb(), id);
      throw error;
    }
    const response = result === undefined ? null : JSON.stringify(result);
    const tooLarge = response !== null && answerBytesOf(response) > IDEMPOTENT_RESPONSE_MAX_BYTES;
    if (tooLarge) logger.warn('A response too large to keep for replays: a repeat is told its request was carried out', { bytes: answerBytesOf(response) });
    await completeRecord(getDb(), id, { expirySeconds: Math.round(Date.now() / 1000 + KEY_LIFETIME_SECONDS), response: tooLarge ? null : response });
    return result;
  };
}
