import { redemptionStateMachineArn } from '../config';
import { notifyApprovers } from '../events/approvers-topic';
import { putEvent } from '../events/event-bus';
import { sendMessage } from '../queue/send-message';
import { isExecutionAlreadyExists, isStaleTokenError, sendTaskFailure, sendTaskSuccess, startExecution } from '../workflow/step-functions';
import type { Delivery } from './message';

/** Makes the one call a delivery stands for. Throws what the service answered. */
export async function send(delivery: Delivery, abortSignal: AbortSignal): Promise<void> {
  const options = { abortSignal };
  switch (delivery.destination) {
    case 'sqs':
      return sendMessage(delivery.payload.queue, delivery.payload.body, options);
    case 'sfn:start-execution':
      await startExecution(redemptionStateMachineArn(), delivery.payload.name, delivery.payload.input, options);
      return;
    case 'sfn:send-task-success':
      return sendTaskSuccess(delivery.payload.task_token, delivery.payload.output, options);
    case 'sfn:send-task-failure':
      return sendTaskFailure(delivery.payload.task_token, delivery.payload.error, delivery.payload.cause, options);
    case 'eventbridge:put-events':
      return putEvent({ detailType: delivery.payload.detail_type, detail: delivery.payload.detail }, options);
    case 'sns:publish':
      return notifyApprovers(delivery.payload, options);
  }
}

/**
 * What a failed call means for the message:
 * - `delivered`: the receiver already has it (an execution of that name exists: names are idempotency keys);
 * - `refused`: the receiver no longer waits for it (a task token that timed out or was answered);
 * - `permanent`: the request itself is invalid, so every retry fails the same way;
 * - `transient`: anything else (throttling, a network error, a service or configuration outage).
 */
export type FailureMeaning = 'delivered' | 'refused' | 'permanent' | 'transient';

/** Errors by which a service says the request can never succeed as written. */
const PERMANENT_ERRORS: Record<Delivery['destination'], ReadonlySet<string>> = {
  sqs: new Set(['InvalidMessageContents', 'InvalidParameterValue', 'InvalidAttributeValue', 'InvalidAttributeName']),
  'sfn:start-execution': new Set(['ValidationException', 'InvalidName', 'InvalidExecutionInput']),
  'sfn:send-task-success': new Set(['ValidationException', 'InvalidOutput']),
  'sfn:send-task-failure': new Set(['ValidationException']),
  // A request too large (ValidationException), an entry refused for its content.
  'eventbridge:put-events': new Set(['ValidationException', 'InvalidArgument', 'MalformedDetail']),
  // SNS's query codes and the SDK's names for them.
  'sns:publish': new Set(['InvalidParameter', 'InvalidParameterException', 'ParameterValueInvalid', 'InvalidParameterValueException']),
};

/** An SDK error's code: SQS names its errors with their legacy query code (`AWS.SimpleQueueService.InvalidMessageContents`). */
const codeOf = (error: Error) => error.name.split(/[.#]/).at(-1) ?? error.name;

export function meaningOf(destination: Delivery['destination'], error: unknown): FailureMeaning {
  if (destination === 'sfn:start-execution' && isExecutionAlreadyExists(error)) return 'delivered';
  if ((destination === 'sfn:send-task-success' || destination === 'sfn:send-task-failure') && isStaleTokenError(error)) return 'refused';
  if (error instanceof Error && PERMANENT_ERRORS[destination].has(codeOf(error))) return 'permanent';
  return 'transient';
}
