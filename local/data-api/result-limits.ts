import { DATA_API_LIMITS } from '../../shared/db/data-api-limits';
import { badRequest } from './errors';
import type { ExecuteResult } from './records';

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** A response's size as the 1 MiB limit is checked against: the JSON the emulator would send. */
export const responseBytes = (result: ExecuteResult): number => jsonBytes(result);

/**
 * Refuses a result the Data API would not return, with the errors it answers (Aurora User Guide,
 * "Troubleshooting Amazon RDS Data API"): a row over 64 KB ("Packet for query is too large") or a
 * response over 1 MiB. Sizes are measured as the JSON the emulator would send, which is at least
 * what the database returned, so the emulator refuses no later than AWS.
 */
export function assertWithinResultLimits(result: ExecuteResult, bytes = responseBytes(result)): void {
  for (const record of result.records ?? []) {
    if (jsonBytes(record) > DATA_API_LIMITS.maxRowBytes) throw badRequest('Packet for query is too large');
  }
  if (bytes > DATA_API_LIMITS.maxResponseBytes) {
    throw badRequest('Database returned more than the allowed response size limit');
  }
}
