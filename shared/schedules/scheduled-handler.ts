import type { Context } from 'aws-lambda';
import { logInvocation, logger } from '../logger';
import { flushMetrics } from '../metrics';

/**
 * Builds the Lambda handler of a function run on a schedule (functions/schedules/index.ts): the event
 * carries nothing the run needs, so only the context (the time left) is passed on. Logs name the
 * schedule; metrics are flushed before the invocation returns; a failed run is logged and thrown,
 * so it shows as a failed invocation.
 *
 * @example
 * export const handler = scheduledHandler('relay-outbox', async (context) => { … });
 */
export function scheduledHandler(name: string, run: (context: Context) => Promise<void>) {
  return (_event: unknown, context: Context): Promise<void> =>
    logInvocation(context, { schedule: name }, async () => {
      try {
        await run(context);
      } catch (error) {
        logger.error('Scheduled run failed', error as Error);
        throw error;
      } finally {
        flushMetrics();
      }
    });
}
