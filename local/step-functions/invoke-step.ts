import type { RedemptionWorkflowStep } from '../../functions/workflow';
import { type FunctionError, isRaisedByLambda } from '../lambda/function-error';
import { workflowStepFunction } from '../lambda/functions';
import type { LambdaRuntime } from '../lambda/runtime';

/** Runs one workflow step (a Lambda function of functions/workflow/index.ts) with its payload and returns its result. */
export type InvokeStep = (step: RedemptionWorkflowStep, payload: unknown) => Promise<unknown>;

/**
 * The step's function, invoked in the local Lambda runtime as a Task state invokes it on AWS:
 * with its timeout, in its own execution environment. A failed invocation fails the Task.
 */
export function invokeStepIn(runtime: LambdaRuntime): InvokeStep {
  return async (step, payload) => {
    const result = await runtime.invoke(workflowStepFunction(step), payload);
    if (result.ok) return result.payload;
    throw taskFailure(result.error);
  };
}

/**
 * A failed Lambda invocation as Step Functions reports it to Retry and Catch: an error the handler
 * threw by its type, one Lambda raised itself (a timeout, running out of memory) as
 * `Lambda.Unknown` (Step Functions guide, "Handle Lambda service exceptions"); the cause is the
 * function error's JSON (errorMessage, errorType, trace), as `$.Cause` carries it on AWS.
 */
export function taskFailure(error: FunctionError): Error {
  const failure = new Error(JSON.stringify({ errorMessage: error.errorMessage, errorType: error.errorType, trace: error.trace ?? [] }));
  failure.name = isRaisedByLambda(error) ? 'Lambda.Unknown' : error.errorType;
  return failure;
}
