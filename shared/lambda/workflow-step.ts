import type { Context } from 'aws-lambda';
import * as z from '../zod';
import { logInvocation, logger } from '../logger';
import { flushMetrics } from '../metrics';

/**
 * A step's input does not match its schema: the state machine definition and the step disagree.
 * Named so the execution history says so; the state machine catches no such name, so it is
 * retried as any task failure and then fails the execution.
 */
export class WorkflowStepInputError extends Error {
  override name = 'WorkflowStepInputInvalid';
}

/**
 * Builds the Lambda handler of a Step Functions Task state, as httpHandler does for a route and
 * sqsWorker for a queue: the step's log lines name its own invocation and step, its input is
 * validated by `inputSchema`, and the metrics it records are flushed when it ends. `handle`
 * runs as part of the invocation, so its database calls fit in the time the step has left. A
 * step that throws (the database still resuming included) fails the Task under the error's
 * name, and the state machine's Retry or Catch takes it from there.
 *
 * @example
 * export const handler = workflowStep('validate-redemption', z.object({ redemption_id: z.uuid() }), async (input) => {
 *   await validateRedemption(getDb(), input.redemption_id);
 *   return { redemption_id: input.redemption_id };
 * });
 */
export function workflowStep<S extends z.ZodMiniType, O>(
  name: string,
  inputSchema: S,
  handle: (input: z.output<S>, context: Context) => Promise<O>,
) {
  return (event: unknown, context: Context): Promise<O> =>
    logInvocation(context, { workflow_step: name }, async () => {
      try {
        const parsed = inputSchema.safeParse(event);
        if (!parsed.success) {
          const error = new WorkflowStepInputError(`The input of step ${name} is invalid: ${z.prettifyError(parsed.error)}`);
          logger.error('Workflow step input is invalid', error);
          throw error;
        }
        return await handle(parsed.data, context);
      } finally {
        flushMetrics();
      }
    });
}
