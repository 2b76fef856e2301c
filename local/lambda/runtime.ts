import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ExecutionEnvironment, type InvocationResult } from './environment';
import type { FunctionError } from './function-error';
import type { LambdaFunction } from './functions';

export type { InvocationResult } from './environment';
export type { FunctionError } from './function-error';
export type { LambdaFunction } from './functions';

export interface LambdaRuntimeOptions {
  /**
   * Environments alive at once, all functions together. At the cap an idle environment of
   * another function makes room; if every one is busy, the invocation waits for one (where
   * Lambda would scale further).
   */
  maxEnvironments?: number;
  /**
   * Environments of one function at once (its concurrency): beyond it an invocation waits for
   * one of them, like a function with reserved concurrency, instead of starting more on a
   * machine with few cores.
   */
  maxConcurrencyPerFunction?: number;
  /** An environment unused this long is stopped, as Lambda reclaims idle ones. */
  idleSeconds?: number;
  /** Where functions' handler paths are resolved (default: the repository root). */
  root?: string;
}

export interface LambdaRuntime {
  /**
   * Invokes a function synchronously, as Lambda's Invoke (RequestResponse) does: in a warm
   * environment of the function if one is free, otherwise in a new one. Resolves with the
   * handler's result or with the function error Lambda would return; never rejects for what
   * the handler does.
   *
   * @example
   * const result = await runtime.invoke(workerFunction('planRedemption', workers.planRedemption), sqsEvent);
   * if (!result.ok) console.error(result.error.errorType); // e.g. 'Sandbox.Timedout'
   */
  invoke(fn: LambdaFunction, event: unknown): Promise<InvocationResult>;
  /** Live environments per function name (warm or busy). */
  environmentCounts(): Record<string, number>;
  /** Stops every environment; invocations still running end as their runtime exited. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_ENVIRONMENTS = 16;
const DEFAULT_MAX_CONCURRENCY_PER_FUNCTION = 4;
const DEFAULT_IDLE_SECONDS = 300;
const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Environments serve one configuration: as on Lambda, changing a function's settings or its
 * environment variables (here, the host process's: a test's, or the stack's as it starts) starts
 * fresh ones.
 */
const configurationOf = (fn: LambdaFunction, variables: Readonly<NodeJS.ProcessEnv>) =>
  JSON.stringify([fn.name, fn.handler, fn.timeoutSeconds, fn.memoryMb, variables]);
const configurations = new WeakMap<ExecutionEnvironment, string>();
const configurationOfEnvironment = (environment: ExecutionEnvironment) => {
  let configuration = configurations.get(environment);
  if (configuration === undefined) configurations.set(environment, (configuration = configurationOf(environment.fn, environment.variables)));
  return configuration;
};

/**
 * A local Lambda service: each function's invocations run in isolated execution environments
 * (worker threads), one invocation at a time per environment, warm ones reused, idle ones
 * reaped, and every invocation stopped at its function's timeout.
 */
export function createLambdaRuntime(options: LambdaRuntimeOptions = {}): LambdaRuntime {
  const maxEnvironments = options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS;
  const maxConcurrency = options.maxConcurrencyPerFunction ?? DEFAULT_MAX_CONCURRENCY_PER_FUNCTION;
  const idleMs = (options.idleSeconds ?? DEFAULT_IDLE_SECONDS) * 1000;
  const root = options.root ?? REPO_ROOT;
  const environments = new Set<ExecutionEnvironment>();
  const leased = new Set<ExecutionEnvironment>();
  const waiting: Array<() => void> = [];
  let stopped = false;

  const idle = () => [...environments].filter((environment) => !leased.has(environment));
  const retire = (environment: ExecutionEnvironment) => {
    environments.delete(environment);
    void environment.terminate();
  };

  const reaper = setInterval(
    () => {
      for (const environment of idle()) if (Date.now() - environment.lastUsed >= idleMs) retire(environment);
    },
    Math.min(idleMs, 60_000),
  );
  reaper.unref();

  /** A free environment of `fn`, leased to the caller: warm if possible, else new. */
  async function lease(fn: LambdaFunction): Promise<ExecutionEnvironment> {
    for (;;) {
      if (stopped) throw new Error('The local Lambda runtime has stopped');
      for (const environment of environments) if (!environment.alive) environments.delete(environment);
      const environment = warmEnvironment(fn) ?? newEnvironment(fn);
      if (environment !== undefined) {
        leased.add(environment);
        return environment;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  }

  /** The most recently used free environment of `fn`, as Lambda tends to route to the warmest. */
  function warmEnvironment(fn: LambdaFunction): ExecutionEnvironment | undefined {
    const configuration = configurationOf(fn, process.env);
    return idle()
      .filter((environment) => configurationOfEnvironment(environment) === configuration)
      .sort((a, b) => b.lastUsed - a.lastUsed)[0];
  }

  /** A new environment of `fn`, if its concurrency allows one and there is room, made if need be. */
  function newEnvironment(fn: LambdaFunction): ExecutionEnvironment | undefined {
    const configuration = configurationOf(fn, process.env);
    const concurrency = [...environments].filter((environment) => configurationOfEnvironment(environment) === configuration).length;
    if (concurrency >= maxConcurrency) return undefined;
    if (environments.size >= maxEnvironments && !evictLeastRecentlyUsed()) return undefined;
    const environment = new ExecutionEnvironment(fn, root);
    environments.add(environment);
    return environment;
  }

  function evictLeastRecentlyUsed(): boolean {
    const victim = idle().sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (victim !== undefined) retire(victim);
    return victim !== undefined;
  }

  function release(environment: ExecutionEnvironment): void {
    leased.delete(environment);
    if (!environment.alive) environments.delete(environment);
    // Every waiter looks again, in turn: the first may be held by its function's concurrency
    // while a later one could use the room this makes.
    for (const wake of waiting.splice(0)) wake();
  }

  return {
    async invoke(fn, event) {
      const environment = await lease(fn);
      try {
        return await environment.invoke(event, randomUUID());
      } finally {
        release(environment);
      }
    },
    environmentCounts() {
      const counts: Record<string, number> = {};
      for (const environment of environments) if (environment.alive) counts[environment.fn.name] = (counts[environment.fn.name] ?? 0) + 1;
      return counts;
    },
    async stop() {
      stopped = true;
      clearInterval(reaper);
      for (const wake of waiting.splice(0)) wake();
      await Promise.all([...environments].map((environment) => environment.terminate()));
      environments.clear();
    },
  };
}

/** A function error as an exception, named after its `errorType`, for callers that work with throw. */
export class LambdaFunctionError extends Error {
  constructor(readonly functionError: FunctionError) {
    super(functionError.errorMessage);
    this.name = functionError.errorType;
  }
}

/**
 * The payload of a successful invocation; throws LambdaFunctionError for a failed one.
 *
 * @example
 * const output = payloadOrThrow(await runtime.invoke(workflowStepFunction('validate'), input));
 */
export function payloadOrThrow(result: InvocationResult): unknown {
  if (!result.ok) throw new LambdaFunctionError(result.error);
  return result.payload;
}
