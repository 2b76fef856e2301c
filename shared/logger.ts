import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { ownConsole } from './own-console';
import { mapStacksOnFirstUse } from './source-mapped-stacks';

export type LogAttributes = Record<string, unknown>;

// Every function's bundle loads this module: inside one, import.meta.url is the bundle's, and the
// stacks it logs name the TypeScript sources (Lambda runs without --enable-source-maps).
mapStacksOnFirstUse(import.meta.url);

// Powertools Logger's levels, variables and JSON line, which this logger keeps (CloudWatch
// queries and alarms read them): its 17 KB, with its commons and invoke-store, weighed on every cold start.
const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;
const RESERVED_KEYS = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);

const isLevel = (name: string | undefined): name is LogLevel => name !== undefined && Object.hasOwn(LEVELS, name);

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
// process, so keys kept on the shared logger would reach lines of another invocation.
const invocations = new AsyncLocalStorage<InvocationLog>();

// As Powertools counts it: the first invocation of an environment Lambda started for it.
let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';

/** The invocation a line is being written in; none once it has ended (a pool's late error, a timer). */
function currentInvocation(): InvocationLog | undefined {
  const invocation = invocations.getStore();
  return invocation?.ended === false ? invocation : undefined;
}

/** The Root of the X-Ray trace header Lambda sets per invocation. */
function xRayTraceId(): string | undefined {
  const header: string = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } }).awslambda?.InvokeStore?.getXRayTraceId() ?? process.env._X_AMZN_TRACE_ID ?? '';
  if (header === '') return undefined;
  if (!header.includes('=')) return header;
  return header.split(';').find((field) => field.startsWith('Root='))?.slice('Root='.length);
}

/** The file and line a stack's first frame names. */
function codeLocation(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (match !== null) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}

/** An error as a line carries it: name, location, message, stack, cause (the same, nested) and its own fields. */
function formatError(error: Error): LogAttributes {
  const { name, message, stack, cause, ...fields } = error as Error & LogAttributes;
  return { name, location: codeLocation(stack), message, stack, cause: cause instanceof Error ? formatError(cause) : cause, ...fields };
}

/** JSON.stringify's replacer for a line: errors formatted, bigints as text, a circular reference left out. */
function lineReplacer() {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    const replaced = value instanceof Error ? formatError(value) : value;
    if (typeof replaced === 'bigint') return replaced.toString();
    if (typeof replaced === 'object' && replaced !== null) {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(replaced)) return undefined;
      ancestors.push(replaced);
    }
    return replaced;
  };
}

/** The level of Lambda's advanced logging controls (its FATAL is CRITICAL), which nothing overrides. */
function lambdaLogLevel(): LogLevel | undefined {
  const name = process.env.AWS_LAMBDA_LOG_LEVEL === 'FATAL' ? 'CRITICAL' : process.env.AWS_LAMBDA_LOG_LEVEL;
  return isLevel(name) ? name : undefined;
}

function configuredLogLevel(): LogLevel {
  const name = process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL;
  return isLevel(name) ? name : 'INFO';
}

/** The share of invocations logged at DEBUG, 0 to 1. */
function configuredSampleRate(): number {
  const rate = Number(process.env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0);
  return rate >= 0 && rate <= 1 ? rate : 0;
}

/**
 * One structured JSON line per call, on stdout (DEBUG, INFO) or stderr (WARN, ERROR), as
 * Powertools Logger wrote it: level, message, timestamp, service, the invocation's Lambda context,
 * sampling_rate, xray_trace_id, the invocation's keys, then the call's own (an Error as `error`).
 * Level from AWS_LAMBDA_LOG_LEVEL (Lambda's log controls, which win), else POWERTOOLS_LOG_LEVEL or
 * LOG_LEVEL (INFO by default); POWERTOOLS_LOGGER_SAMPLE_RATE turns DEBUG on for that share of invocations.
 */
class JsonLogger {
  readonly #service = process.env.POWERTOOLS_SERVICE_NAME || 'tokenstocks';
  readonly #lambdaLevel = lambdaLogLevel();
  readonly #initialLevel: number = LEVELS[this.#lambdaLevel ?? configuredLogLevel()];
  readonly #sampleRate = configuredSampleRate();
  #level = this.#initialLevel;
  #refreshed = false;

  constructor() {
    this.#sample();
  }

  debug(message: string, ...extras: unknown[]): void {
    this.#write('DEBUG', message, extras);
  }

  info(message: string, ...extras: unknown[]): void {
    this.#write('INFO', message, extras);
  }

  warn(message: string, ...extras: unknown[]): void {
    this.#write('WARN', message, extras);
  }

  error(message: string, ...extras: unknown[]): void {
    this.#write('ERROR', message, extras);
  }

  /** Sets the level until the next invocation's sampling; Lambda's log controls, when set, win. */
  setLogLevel(level: LogLevel): void {
    if (this.#lambdaLevel === undefined) this.#level = LEVELS[level];
  }

  /** Draws this invocation's sampling (the first invocation keeps the draw made at start-up). */
  refreshSampleRateCalculation(): void {
    if (!this.#refreshed) {
      this.#refreshed = true;
      return;
    }
    if (!this.#sample() && this.#lambdaLevel === undefined) this.#level = this.#initialLevel;
  }

  #sample(): boolean {
    const sampled = this.#sampleRate > 0 && Math.floor(Math.random() * 100) / 100 <= this.#sampleRate;
    if (sampled && this.#level > LEVELS.TRACE) {
      this.setLogLevel('DEBUG');
      this.debug('Setting log level to DEBUG due to sampling rate');
    }
    return sampled;
  }

  #write(level: LogLevel, message: string, extras: unknown[]): void {
    if (LEVELS[level] < this.#level) return;
    const invocation = currentInvocation();
    const line: LogAttributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      ...invocation?.context,
      sampling_rate: this.#sampleRate,
      xray_trace_id: xRayTraceId(),
      ...invocation?.keys,
    };
    for (const extra of extras) {
      if (extra === undefined || extra === null) continue;
      if (extra instanceof Error) line.error = extra;
      else if (typeof extra === 'string') line.extra = extra;
      else {
        for (const [key, value] of Object.entries(extra)) {
          if (RESERVED_KEYS.has(key)) this.warn(`The key "${key}" is a reserved key and will be dropped.`);
          else line[key] = value;
        }
      }
    }
    for (const [key, value] of Object.entries(line)) if (value === undefined || value === null || value === '') delete line[key];
    const text = JSON.stringify(line, lineReplacer());
    if (LEVELS[level] >= LEVELS.WARN) ownConsole().warn(text);
    else ownConsole().info(text);
  }
}

/**
 * One structured JSON logger per process. Every handler wrapper runs its invocation in
 * `logInvocation`, so each line names the invocation it belongs to; use `appendInvocationKeys`
 * for keys of the invocation.
 */
export const logger = new JsonLogger();

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
