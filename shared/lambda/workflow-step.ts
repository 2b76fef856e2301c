import type { Context } from 'aws-lambda';
import { logInvocation } from '../logger';

/**
 * Builds the Lambda handler of a Step Functions Task state: `handle` gets the state's input and
 * runs as part of the invocation, so its database calls fit in the time the step has left, and
 * its log lines name the step's own invocation. A
 * step that throws (the database still resuming included) fails the Task, and the state
 * machine's Retry runs it again.
 *
 * @example
 * export const handler = workflowStep(async (input: { redemption_id: string }) => {
 *   await validateRedemption(getDb(), input.redemption_id);
 *   return { redemption_id: input.redemption_id };
 * });
 */
export function workflowStep<I, O>(handle: (input: I, context: Context) => Promise<O>) {
  return (input: I, context: Context): Promise<O> => logInvocation(context, {}, () => handle(input, context));
}
