import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import type { Context } from 'aws-lambda';
import { type BeforeCommit, beforeEachCommit } from '../db/commit-hooks';
import { type Db, getDb } from '../db/client';
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

/** What a response costs in a Data API answer: its JSON text as an escaped string, in UTF-8. */
const answerBytesOf = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

/** A record whose change committed and whose request has ended (or died): its key never runs again. */
const carriedOut = (row: IdempotencyRecordRow, nowMs: number) =>
  row.committed_at !== null && (row.status === 'COMPLETED' || Number(row.in_progress_expiry_timestamp ?? 0) < nowMs);

/**
 * Powertools Idempotency records kept in Postgres, with the semantics of its DynamoDB layer (a
 * put succeeds when no record exists, the existing one has expired, or its in-progress lease
 * ran out) and one more rule: a record whose change committed is never taken over within its
 * window. The runner marks it in the transaction of the change (idempotentRunner).
 */
export class PostgresPersistenceLayer extends BasePersistenceLayer {
  constructor(private readonly db: () => Db = getDb) {
    super();
    // The id is this prefix (the function's name), '#' and a 24-character hash: at most 89 of
    // idempotency_records.id's 255. Cutting a longer name (none on Lambda) merges no keys: each
    // hash covers the caller, the method and the route's path.
    this.idempotencyKeyPrefix = this.idempotencyKeyPrefix.slice(0, LAMBDA_NAME_MAX_CHARS);
  }

  /** The id of the record a request's key is kept under (the function's name and a hash of the key). */
  recordIdOf(request: IdempotentRequest): string {
    return this.getHashedIdempotencyKey(request as unknown as JSONValue);
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const row = await findRecord(this.db(), idempotencyKey);
    if (row === undefined) throw new IdempotencyItemNotFoundError(`No idempotency record ${idempotencyKey}`);
    return new IdempotencyRecord({
      idempotencyKey,
      // Carried out but never completed (the invocation died after its commit): done, no response.
      status: carriedOut(row, Date.now()) ? 'COMPLETED' : row.status,
      expiryTimestamp: Number(row.expiry_timestamp),
      inProgressExpiryTimestamp: row.in_progress_expiry_timestamp === null ? undefined : Number(row.in_progress_expiry_timestamp),
      responseData: row.response_data === null ? undefined : (JSON.parse(row.response_data) as JSONValue),
      payloadHash: row.payload_hash ?? undefined,
    });
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const claimed = await claimRecord(
      this.db(),
      {
        id: record.idempotencyKey,
        status: record.getStatus(),
        expirySeconds: record.expiryTimestamp ?? 0,
        inProgressExpiryMs: record.inProgressExpiryTimestamp ?? null,
        payloadHash: record.payloadHash ?? null,
      },
      Date.now(),
    );
    if (!claimed) {
      const existing = await this._getRecord(record.idempotencyKey);
      throw new IdempotencyItemAlreadyExistsError(`Idempotency record ${record.idempotencyKey} exists`, existing);
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const response = record.responseData === undefined ? null : JSON.stringify(record.responseData);
    const tooLarge = response !== null && answerBytesOf(response) > IDEMPOTENT_RESPONSE_MAX_BYTES;
    if (tooLarge) logger.warn('A response too large to keep for replays: a repeat is told its request was carried out', { bytes: answerBytesOf(response) });
    await completeRecord(this.db(), record.idempotencyKey, { expirySeconds: record.expiryTimestamp ?? 0, response: tooLarge ? null : response });
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await releaseRecord(this.db(), record.idempotencyKey);
  }
}

export interface IdempotentRequest {
  /** Scoped to the caller and route, so one client's key never replays another's response. */
  key: string;
  /** What a repeat must match: a key reused with a different request is refused. */
  request: unknown;
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
 */
export function idempotentRunner<T>() {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: KEY_LIFETIME_SECONDS,
    responseHook: (response) => {
      if (response === undefined) {
        throw new ConflictError('The request with this Idempotency-Key was already carried out, but its response was not kept; read the resource to see its result');
      }
      return response;
    },
  });
  const persistence = new PostgresPersistenceLayer();
  const markCommitted = (request: IdempotentRequest): BeforeCommit => {
    const mark = markCommittedStatement(getDb(), persistence.recordIdOf(request));
    const wroteNothing = wroteNothingStatement(getDb());
    return async (connection) => {
      const { numAffectedRows } = await connection.executeQuery(mark);
      if (numAffectedRows === 1n) return;
      const { rows } = await connection.executeQuery<{ wrote_nothing: boolean }>(wroteNothing);
      // The record is this request's while it runs; without it the change must not commit.
      if (rows[0]?.wrote_nothing !== true) throw new Error('The Idempotency-Key record of this request is gone; its change is rolled back');
    };
  };
  const run = makeIdempotent(
    async (request: IdempotentRequest, work: () => Promise<T>) => beforeEachCommit(markCommitted(request), work),
    { persistenceStore: persistence, config },
  );
  return async (request: IdempotentRequest, context: Context, work: () => Promise<T>): Promise<T> => {
    config.registerLambdaContext(context);
    try {
      return await run(request, work);
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly', {}, { cause: error });
      }
      if (error instanceof IdempotencyValidationError) {
        throw new RuleViolationError('This Idempotency-Key was already used with a different request', {}, { cause: error });
      }
      throw error;
    }
  };
}
