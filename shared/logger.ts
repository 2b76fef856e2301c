import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

interface InvocationLog {
  /** The invocation's Lambda context, as Powertools names it in a line. */
  context: LogAttributes;
  /** Its time left (remainingInvocationMs): one async context per invocation carries both. */
  clock: Pick<Context, 'getRemainingTimeInMillis'>;
  /** What the invocation's lines carry besides: request_id, caller_id, worker, … */
  keys: LogAttributes;
  ended: boolean;
}

// Per async flow, not on the logger: an execution environment keeps its modules from one
// invocation to the next, and the tests and the bench run several invocations at once in one
// process, so keys set on the shared logger (appendKeys) reach lines of another invocation.
const invocations = new AsyncLocalStorage<InvocationLog>();

// As Powertools counts it: the first invocation of an environment Lambda started for it.
let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';

/** The invocation a line is being written in; none once it has ended (a pool's late error, a timer). */
function currentInvocation(): InvocationLog | undefined {
  const invocation = invocations.getStore();
  return invocation?.ended === false ? invocation : undefined;
}

/** Powertools' JSON line, with the Lambda context and keys of the invocation it is written in, and of no other. */
class InvocationLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const invocation = currentInvocation();
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        ...invocation?.context,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes({ ...invocation?.keys, ...additionalLogAttributes });
  }
}

/**
 * One structured JSON logger per process. Every handler wrapper runs its invocation in
 * `logInvocation`, so each line names the invocation it belongs to; use `appendInvocationKeys`,
 * never `logger.appendKeys`, for keys of the invocation.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tokenstocks',
  logFormatter: new InvocationLogFormatter(),
});

/**
 * Runs one invocation: every line written during `work` carries this invocation's Lambda context
 * (function_request_id, cold_start, …) and `keys`, and none of another invocation's; a line
 * written after it ended carries neither. Each handler wrapper (HTTP, SQS, workflow step,
 * schedule) calls it once per invocation; code below it also knows the invocation's time left
 * (remainingInvocationMs), without a second async context.
 *
 * @example
 * export const handler = (event: SQSEvent, context: Context) =>
 *   logInvocation(context, { worker: 'plan-redemption' }, () => work(event));
 */
export async function logInvocation<T>(context: Context, keys: LogAttributes, work: () => Promise<T>): Promise<T> {
  logger.refreshSampleRateCalculation();
  const invocation: InvocationLog = {
    context: {
      cold_start: coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      tenant_id: context.tenantId,
    },
    clock: context,
    keys: { ...keys },
    ended: false,
  };
  coldStart = false;
  try {
    return await invocations.run(invocation, work);
  } finally {
    invocation.ended = true;
  }
}

/** The Lambda context of the invocation `logInvocation` runs this code in, for its time left. */
export const loggedInvocationClock = (): Pick<Context, 'getRemainingTimeInMillis'> | undefined => invocations.getStore()?.clock;

/** Adds keys to the current invocation's lines from here on (a caller once known, a message being handled). */
export function appendInvocationKeys(keys: LogAttributes): void {
  const invocation = currentInvocation();
  if (invocation !== undefined) Object.assign(invocation.keys, keys);
}
