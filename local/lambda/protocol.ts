import type { FunctionError } from './function-error';

/**
 * The messages between the runtime (main thread) and an execution environment (its worker
 * thread). Everything an invocation produces, its output lines included, travels on the one
 * port, so the host has written an invocation's logs before it hands out its result.
 */

/** Set once, when the environment starts. */
export interface EnvironmentData {
  /** file: URL of the function's bundle, which exports `handler`. */
  moduleUrl: string;
  /** How Lambda would name it in an error: `functions/health/get-health.handler`. */
  handlerName: string;
  functionName: string;
  memoryMb: number;
  /** Where V8 keeps the bundles' compiled code between environments. */
  compileCacheDir: string;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  event: unknown;
  /** Epoch milliseconds at which the invocation is stopped. */
  deadlineMs: number;
}

export type EnvironmentMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** The handler's result, serialised as Lambda serialises it. */
  | { type: 'response'; requestId: string; payload: string }
  | { type: 'error'; requestId: string; error: FunctionError }
  /** An uncaught exception or unhandled rejection: the runtime exits after sending this. */
  | { type: 'crash'; error: FunctionError };
