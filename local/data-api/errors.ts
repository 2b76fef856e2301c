import type { DatabaseError } from 'pg';

/**
 * The error types the RDS Data API answers with (names and HTTP statuses as in the service's
 * model in @aws-sdk/client-rds-data), so the real SDK raises the matching exception class.
 */
const STATUS = {
  BadRequestException: 400,
  DatabaseErrorException: 400,
  DatabaseNotFoundException: 404,
  DatabaseResumingException: 400,
  StatementTimeoutException: 400,
  TransactionNotFoundException: 404,
  UnsupportedResultException: 400,
} as const;

export type DataApiErrorType = keyof typeof STATUS;

export class DataApiError extends Error {
  readonly status: number;

  constructor(
    readonly type: DataApiErrorType,
    message: string,
    /** Extra members of the error body, e.g. StatementTimeoutException's `dbConnectionId`. */
    readonly members: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = type;
    this.status = STATUS[type];
  }
}

/** A malformed call: missing members, array parameters, an oversized response. */
export const badRequest = (message: string) => new DataApiError('BadRequestException', message);

const isPostgresError = (error: unknown): error is DatabaseError =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'severity' in error;

/**
 * Postgres errors come back as DatabaseErrorException with the server's message, detail, hint,
 * position and SQLSTATE, formatted the way the Data API (a JDBC client) reports them.
 */
export function fromPostgresError(error: unknown): DataApiError {
  if (!isPostgresError(error)) {
    return new DataApiError('DatabaseErrorException', error instanceof Error ? error.message : String(error));
  }
  if (error.code === '3D000') return new DataApiError('DatabaseNotFoundException', error.message);
  const lines = [`ERROR: ${error.message}`];
  if (error.detail) lines.push(`  Detail: ${error.detail}`);
  if (error.hint) lines.push(`  Hint: ${error.hint}`);
  if (error.position) lines.push(`  Position: ${error.position}`);
  return new DataApiError('DatabaseErrorException', `${lines.join('\n')}; SQLState: ${error.code}`);
}
