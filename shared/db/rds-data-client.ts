import type { RDSData } from '@aws-sdk/client-rds-data';
import { TemporarilyUnavailableError } from '../errors';
import { remainingInvocationMs } from '../lambda/invocation';
import { logger } from '../logger';

type Method = 'executeStatement' | 'beginTransaction' | 'commitTransaction' | 'rollbackTransaction';

/** An auto-paused Aurora Serverless v2 cluster takes about 15 s to resume; these waits cover 30 s. */
export const RESUME_WAITS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

/** How long resumes are waited for outside a Lambda invocation (a CLI, a test's direct call). */
export const RESUME_BUDGET_MS = 30_000;

/**
 * What an invocation keeps after its last retry: time to answer 503, or to fail its message or
 * step, before Lambda's timeout cuts it off.
 */
export const ANSWER_MARGIN_MS = 2_000;

/**
 * When retries must stop: 30 s from now, or sooner when the current invocation would time out
 * first (an API function has 29 s), keeping ANSWER_MARGIN_MS to answer.
 */
export function resumeDeadline(now = Date.now()): number {
  const remaining = remainingInvocationMs();
  return now + (remaining === undefined ? RESUME_BUDGET_MS : Math.min(RESUME_BUDGET_MS, remaining - ANSWER_MARGIN_MS));
}

/**
 * Calls `call` again after each wait while `isResuming` says the database is still waking up.
 * Waits end at `deadline` (the last one is shortened to fit); still resuming then, it fails with
 * TemporarilyUnavailableError (503, Retry-After: the wait that did not fit). Any other error is
 * thrown as it is.
 */
export async function retryWhileResuming<T>(
  call: () => Promise<T>,
  isResuming: (error: unknown) => boolean,
  { waitsMs = RESUME_WAITS_MS, deadline = resumeDeadline() }: { waitsMs?: readonly number[]; deadline?: number } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isResuming(error)) throw error;
      const scheduledMs = waitsMs[attempt];
      const waitMs = Math.min(scheduledMs ?? 0, deadline - Date.now());
      if (scheduledMs === undefined || waitMs <= 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil((scheduledMs ?? waitsMs.at(-1) ?? 1_000) / 1_000));
        throw new TemporarilyUnavailableError(
          `The database is resuming from auto-pause; try again in ${retryAfterSeconds} s`,
          retryAfterSeconds,
          { cause: error },
        );
      }
      logger.info('Database is resuming; retrying', { wait_ms: waitMs });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
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
