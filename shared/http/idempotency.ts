import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { sql } from 'kysely';
import { type Db, getDb } from '../db/client';
import { jsonb } from '../db/sql-values';
import { ConflictError, RuleViolationError } from '../errors';

type RecordStatus = 'INPROGRESS' | 'COMPLETED' | 'EXPIRED';

/**
 * Powertools Idempotency records kept in Postgres (the same database as the change they guard),
 * with the semantics of its DynamoDB layer: a put succeeds when no record exists or the
 * existing one has expired (or its in-progress lease ran out).
 */
export class PostgresPersistenceLayer extends BasePersistenceLayer {
  constructor(private readonly db: () => Db = getDb) {
    super();
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const row = await this.db()
      .selectFrom('idempotency_records')
      .selectAll()
      .where('id', '=', idempotencyKey)
      .executeTakeFirst();
    if (row === undefined) throw new IdempotencyItemNotFoundError(`No idempotency record ${idempotencyKey}`);
    return new IdempotencyRecord({
      idempotencyKey,
      status: row.status,
      expiryTimestamp: Number(row.expiry_timestamp),
      inProgressExpiryTimestamp: row.in_progress_expiry_timestamp === null ? undefined : Number(row.in_progress_expiry_timestamp),
      responseData: (typeof row.response_data === 'string' ? JSON.parse(row.response_data) : row.response_data) ?? undefined,
      payloadHash: row.payload_hash ?? undefined,
    });
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const now = Date.now();
    const { rows } = await sql<{ id: string }>`
      INSERT INTO idempotency_records (id, status, expiry_timestamp, in_progress_expiry_timestamp, payload_hash)
      VALUES (${record.idempotencyKey}, ${record.getStatus() as RecordStatus}, ${record.expiryTimestamp ?? 0},
        ${record.inProgressExpiryTimestamp ?? null}, ${record.payloadHash ?? null})
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, expiry_timestamp = excluded.expiry_timestamp,
        in_progress_expiry_timestamp = excluded.in_progress_expiry_timestamp, payload_hash = excluded.payload_hash,
        response_data = NULL, created_at = now()
      WHERE idempotency_records.expiry_timestamp < ${Math.floor(now / 1000)}
        OR (idempotency_records.status = 'INPROGRESS' AND idempotency_records.in_progress_expiry_timestamp < ${now})
      RETURNING id`.execute(this.db());
    if (rows.length === 0) {
      const existing = await this._getRecord(record.idempotencyKey);
      throw new IdempotencyItemAlreadyExistsError(`Idempotency record ${record.idempotencyKey} exists`, existing);
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    await this.db()
      .updateTable('idempotency_records')
      .set({
        status: record.getStatus() as RecordStatus,
        expiry_timestamp: record.expiryTimestamp ?? 0,
        response_data: record.responseData === undefined ? null : jsonb(record.responseData),
      })
      .where('id', '=', record.idempotencyKey)
      .execute();
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await this.db().deleteFrom('idempotency_records').where('id', '=', record.idempotencyKey).execute();
  }
}

export interface IdempotentRequest {
  /** Scoped to the caller and route, so one client's key never replays another's response. */
  key: string;
  /** What a repeat must match: a key reused with a different request is refused. */
  request: unknown;
}

/** A repeat of the same key and request within this window gets the first response back. */
const KEY_LIFETIME_SECONDS = 24 * 3600;

/**
 * Wraps a route's work so a POST carrying an `Idempotency-Key` runs once: a repeat returns the
 * stored response; a concurrent repeat is a 409; the same key with another request a 422.
 * Failures are not stored, so a client may retry them.
 */
export function idempotentRunner<T>() {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: KEY_LIFETIME_SECONDS,
  });
  const run = makeIdempotent(async (_request: IdempotentRequest, work: () => Promise<T>) => work(), {
    persistenceStore: new PostgresPersistenceLayer(),
    config,
  });
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
