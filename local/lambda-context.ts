import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/**
 * The Context Lambda hands a handler, for invocations in the local stack: the function's name,
 * a request id, and the time left before its timeout.
 */
export function lambdaContext(options: { functionName: string; timeoutSeconds: number; memoryMb?: number; requestId?: string }): Context {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
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
