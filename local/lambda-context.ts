import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export type LambdaContextOptions = {
  functionName: string;
  memoryMb?: number;
  requestId?: string;
} & (
  /** The invocation starts now and may run this long. */
  | { timeoutSeconds: number }
  /** The epoch milliseconds at which the runtime stops the invocation. */
  | { deadlineMs: number }
);

/**
 * The Context Lambda hands a handler, for invocations in the local stack: the function's name,
 * a request id, and the time left before its deadline.
 */
export function lambdaContext(options: LambdaContextOptions): Context {
  const deadline = 'deadlineMs' in options ? options.deadlineMs : Date.now() + options.timeoutSeconds * 1000;
  return {
    awsRequestId: options.requestId ?? randomUUID(),
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
