import type { Db } from '../db/client';
import { isPermanentDatabaseError, sqlStateOf } from '../db/database-errors';
import { logger } from '../logger';
import { failRedemption } from './fail-redemption';
import { RedemptionFailedError } from './workflow-step-error';

/**
 * Runs one step of a redemption. A permanent database error (an overflow, a constraint: see
 * isPermanentDatabaseError) fails the request at once with its reason, instead of retries that
 * can only repeat it, and raises RedemptionFailedError (RedemptionFailed: the state machine does
 * not retry it).
 * Any other error is thrown as it is, to be retried.
 */
export async function failOnPermanentError<T>(
  db: Db,
  redemptionId: string,
  /** What was under way, in an LP's words: `planning`, `execution` … */
  step: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isPermanentDatabaseError(error)) throw error;
    const sqlState = sqlStateOf(error);
    logger.error('A redemption step met an error no retry can fix; the request fails', { redemption_id: redemptionId, step, sql_state: sqlState, error: error as Error });
    const reason = `It stopped during ${step} on an error that retrying cannot fix (database error ${sqlState}); nothing was moved and the tokens can be redeemed again`;
    await failRedemption(db, redemptionId, { reason, details: { step, sql_state: sqlState, error: (error as Error).message } });
    throw new RedemptionFailedError(reason);
  }
}
