import type { RDSData } from '@aws-sdk/client-rds-data';
import { logger } from '../logger';

type Method = 'executeStatement' | 'beginTransaction' | 'commitTransaction' | 'rollbackTransaction';

/** An auto-paused Aurora Serverless v2 cluster takes about 15 s to resume; these waits cover 30 s. */
export const RESUME_WAITS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

/**
 * Calls `call` again after each wait while `isResuming` says the database is still waking up;
 * any other error, or still resuming after the last wait, is thrown.
 */
export async function retryWhileResuming<T>(
  call: () => Promise<T>,
  isResuming: (error: unknown) => boolean,
  waitsMs: readonly number[] = RESUME_WAITS_MS,
): Promise<T> {
  for (const waitMs of waitsMs) {
    try {
      return await call();
    } catch (error) {
      if (!isResuming(error)) throw error;
      logger.info('Database is resuming; retrying', { wait_ms: waitMs });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  return call();
}

interface LoadedSdk {
  client: RDSData;
  isResuming: (error: unknown) => boolean;
  isTransactionNotFound: (error: unknown) => boolean;
}

/**
 * The RDS Data API client kysely-data-api uses, loaded on first query (a Lambda that never
 * queries does not pay for the SDK). The SDK does not retry DatabaseResumingException, which
 * a cluster paused at zero capacity answers while it wakes, so that is retried here: a call
 * that failed with it never ran.
 *
 * RollbackTransaction answered with TransactionNotFoundException counts as rolled back. The
 * service only forgets a transaction that can no longer commit: aborted after a failed call,
 * expired (rolled back automatically), or already ended (Troubleshooting, "Transaction <id>
 * isn't found"). Kysely rolls back after the work failed and rethrows that failure, so the
 * failure, not this answer, is what reaches the caller.
 */
export function lazyRdsDataClient(): RDSData {
  let loaded: Promise<LoadedSdk> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-rds-data').then(({ RDSData, DatabaseResumingException, TransactionNotFoundException }) => ({
      // The SDK's default of 50 sockets deadlocks a process serving many requests at once (the
      // local gateway, tests): a transaction's next call can queue behind 50 calls waiting on its
      // locks. A Lambda serves one request at a time, so lifting the cap changes nothing there.
      client: new RDSData({ requestHandler: { httpAgent: { maxSockets: Infinity }, httpsAgent: { maxSockets: Infinity } } }),
      isResuming: (error: unknown) => error instanceof DatabaseResumingException,
      isTransactionNotFound: (error: unknown) => error instanceof TransactionNotFoundException,
    })));
  const forward = (method: Method) => async (input: never) => {
    const { client, isResuming } = await load();
    return retryWhileResuming(() => (client[method] as (input: never) => Promise<unknown>)(input), isResuming);
  };
  const rollback = forward('rollbackTransaction');
  return {
    executeStatement: forward('executeStatement'),
    beginTransaction: forward('beginTransaction'),
    commitTransaction: forward('commitTransaction'),
    rollbackTransaction: async (input: never) => {
      try {
        return await rollback(input);
      } catch (error) {
        if (!(await load()).isTransactionNotFound(error)) throw error;
        logger.debug('The transaction to roll back was already ended by the service', { error: (error as Error).message });
        return { transactionStatus: 'Rollback Complete' };
      }
    },
  } as unknown as RDSData;
}
