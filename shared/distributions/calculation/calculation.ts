import { sqlStateOf } from '../../db/database-errors';
import type { Decimal } from '../../decimal';
import { type ChunkScope } from './calculation.repository';

/** The event a calculation works on, as the steps need it. */
export interface Calculation {
  eventId: string;
  projectId: string;
  recordDate: Date;
  totalAmount: Decimal;
  requestedBy: string;
  /** When this attempt was requested: a worker of an earlier attempt must not write into this one. */
  requestedAt: Date | null;
}

/** A calculation that cannot succeed as the data stands; the event is marked failed with this message. */
export class CalculationFailure extends Error {}

export const scopeOf = (calculation: Calculation, after: string, size: number): ChunkScope => ({
  projectId: calculation.projectId,
  recordDate: calculation.recordDate,
  after,
  size,
});

const MAX_REASON_CHARS = 1_000;

/**
 * The reason shown on a calculation stopped by a database error that retrying cannot cure
 * (isPermanentDatabaseError): the server's message and detail, whether they came from `pg`
 * (`message`, `detail`) or from the Data API (`ERROR: …\n  Detail: …; SQLState: 22003`).
 *
 * @example
 * permanentFailureReason(overflow)
 * // 'The database refused the calculation: numeric field overflow. A field with precision 20, scale 7
 * //  must round to an absolute value less than 10^13. (SQLSTATE 22003) Retrying cannot help: …'
 */
export function permanentFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = (error as { detail?: unknown }).detail;
  const lines = [...message.replace(/;\s*SQLState: [0-9A-Z]{5}\s*$/, '').split('\n'), ...(typeof detail === 'string' ? [detail] : [])]
    .map((line) => line.trim().replace(/^(ERROR|Detail):\s*/, ''))
    .filter((line) => line !== '' && !line.startsWith('Position:'));
  const text = lines.map((line) => (/[.!?]$/.test(line) ? line : `${line}.`)).join(' ');
  const reason =
    `The database refused the calculation: ${text} (SQLSTATE ${sqlStateOf(error) ?? 'unknown'}) ` +
    'Retrying cannot help: correct the data, then calculate again.';
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}
