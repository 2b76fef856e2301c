import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { loggedInvocationClock } from '../logger';

type InvocationClock = Pick<Context, 'getRemainingTimeInMillis'>;

// Per async flow rather than per process: the local stack and the tests run many invocations
// at once in one process, where a module-level "current invocation" would mix them up.
const current = new AsyncLocalStorage<InvocationClock>();

/**
 * Runs `work` as part of the Lambda invocation `context` belongs to, so code below it (the
 * database client's retries) can fit in the time the invocation has left. A handler wrapper
 * needs it only when it does not run the invocation in `logInvocation` (shared/logger.ts), which
 * carries the same clock: each async context costs every promise of the request.
 *
 * @example
 * export const handler = async (event: SQSEvent, context: Context) => runInInvocation(context, () => work(event));
 */
export function runInInvocation<T>(context: InvocationClock, work: () => T): T {
  return current.run(context, work);
}

/**
 * Milliseconds until the current invocation times out, or undefined outside one (a CLI, a
 * test calling a use case directly).
 */
export function remainingInvocationMs(): number | undefined {
  return (current.getStore() ?? loggedInvocationClock())?.getRemainingTimeInMillis();
}
