import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BundleError, compileCacheDir, lambdaBundle } from './bundle';
import {
  type FunctionError,
  importModuleError,
  INIT_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  outOfMemory,
  responseTooLarge,
  runtimeExited,
  thrownError,
  timedOut,
} from './function-error';
import type { LambdaFunction } from './functions';
import type { EnvironmentData, EnvironmentMessage, InvokeMessage } from './protocol';

/** What a synchronous invocation comes back with: the handler's result, or a function error. */
export type InvocationResult =
  | { requestId: string; ok: true; payload: unknown }
  | { requestId: string; ok: false; error: FunctionError };

type Outcome = { ok: true; payload: unknown } | { ok: false; error: FunctionError; environmentLost: boolean };

/** A started thread loading the function (the init phase), or why none could start. */
type Start = { loaded: Promise<FunctionError | undefined> } | { failed: FunctionError };

/** The runtime's side of every environment, bundled like a function. */
const ENVIRONMENT_MAIN = fileURLToPath(new URL('./environment-main.ts', import.meta.url));

/**
 * One execution environment of a function: a worker thread that loads the function's bundle
 * once and then serves one invocation at a time. Its environment variables are the process's
 * when it starts, plus the ones Lambda sets. At an invocation's deadline the thread is
 * terminated, so nothing the handler does afterwards happens; the environment is gone for good.
 */
export class ExecutionEnvironment {
  #worker: Worker | undefined;
  readonly #started: Promise<Start>;
  /** Whoever waits on the thread now: the init phase, then each invocation in turn. */
  #settle: ((outcome: Outcome) => void) | undefined;
  #requestId: string | undefined;
  #alive = true;
  #busy = false;
  /** When it last finished an invocation (or was created), for reaping idle ones. */
  lastUsed = Date.now();

  constructor(
    readonly fn: LambdaFunction,
    root: string,
    /** Its environment variables: the host process's when it was created, as a deployment fixes them. */
    readonly variables: Readonly<NodeJS.ProcessEnv> = { ...process.env },
  ) {
    this.#started = this.#start(root);
  }

  get alive(): boolean {
    return this.#alive;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Runs one invocation. The environment must be alive and not busy. */
  async invoke(event: unknown, requestId: string = randomUUID()): Promise<InvocationResult> {
    if (!this.#alive || this.#busy) throw new Error(`Environment of ${this.fn.name} cannot take an invocation`);
    this.#busy = true;
    try {
      const outcome = await this.#run(event, requestId);
      if (!outcome.ok && outcome.environmentLost) await this.terminate();
      return outcome.ok ? { requestId, ok: true, payload: outcome.payload } : { requestId, ok: false, error: outcome.error };
    } finally {
      this.#busy = false;
      this.lastUsed = Date.now();
    }
  }

  /** Stops the thread at once, whatever it is doing. */
  async terminate(): Promise<void> {
    this.#alive = false;
    await this.#worker?.terminate();
  }

  /**
   * The function's bundle (built, or taken from the cache, as a deployment would have made it),
   * then a new thread that loads it: Lambda's init phase.
   */
  async #start(root: string): Promise<Start> {
    let files: [string, string];
    try {
      files = await Promise.all([lambdaBundle(root, ENVIRONMENT_MAIN), lambdaBundle(root, this.fn.handler)]);
    } catch (error) {
      if (error instanceof BundleError) return { failed: importModuleError(error) };
      throw error;
    }
    if (!this.#alive) return { failed: runtimeExited('init', 0) };
    const [main, functionBundle] = files;
    const data: EnvironmentData = {
      moduleUrl: pathToFileURL(functionBundle).href,
      handlerName: `${this.fn.handler.replace(/\.ts$/, '')}.handler`,
      functionName: this.fn.name,
      memoryMb: this.fn.memoryMb,
      compileCacheDir: compileCacheDir(root),
    };
    const worker = new Worker(main, {
      workerData: data,
      env: {
        ...this.variables,
        AWS_LAMBDA_FUNCTION_NAME: this.fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        // As Lambda sets it for an environment started by an invocation: the logger reads it to log cold starts.
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.fn.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.fn.name}`,
      },
      // Whatever loader the host runs under (tsx, vitest), the environment runs plain bundles.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.fn.memoryMb },
    });
    this.#worker = worker;
    const loaded = new Promise<FunctionError | undefined>((done) => (this.#settle = (outcome) => done(outcome.ok ? undefined : outcome.error)));
    worker.on('message', (message: EnvironmentMessage) => this.#receive(message));
    worker.on('error', (error) => this.#lost((requestId) => ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(requestId) : thrownError(error))));
    worker.on('exit', (code) => this.#lost((requestId) => runtimeExited(requestId, code)));
    return { loaded };
  }

  async #run(event: unknown, requestId: string): Promise<Outcome> {
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const start = await this.#started;
    if ('failed' in start) return { ok: false, error: start.failed, environmentLost: true };
    // Past Lambda's init limit, init is retried within the invocation's own timeout.
    const initError = await within(start.loaded, INIT_TIMEOUT_MS + timeoutMs);
    if (initError === 'timeout') return { ok: false, error: timedOut(requestId, this.fn.timeoutSeconds), environmentLost: true };
    if (initError !== undefined) return { ok: false, error: initError, environmentLost: true };
    if (!this.#alive) return { ok: false, error: runtimeExited(requestId, 1), environmentLost: true };

    const deadlineMs = Date.now() + timeoutMs;
    const outcome = new Promise<Outcome>((done) => (this.#settle = done));
    const message: InvokeMessage = { type: 'invoke', requestId, event, deadlineMs };
    this.#worker?.postMessage(message);
    this.#requestId = requestId;
    const result = await within(outcome, deadlineMs - Date.now());
    this.#settle = undefined;
    this.#requestId = undefined;
    if (result === 'timeout') {
      // Lambda writes this line to the function's log when it stops an invocation.
      process.stdout.write(`${new Date().toISOString()} ${requestId} Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds\n`);
      return { ok: false, error: timedOut(requestId, this.fn.timeoutSeconds), environmentLost: true };
    }
    return result;
  }

  #receive(message: EnvironmentMessage): void {
    switch (message.type) {
      case 'output':
        process[message.stream].write(message.text);
        return;
      case 'ready':
        return this.#settle?.({ ok: true, payload: undefined });
      case 'init-error':
        return this.#settle?.({ ok: false, error: message.error, environmentLost: true });
      case 'crash':
        if (this.#settle === undefined) process.stderr.write(`${this.fn.name}: ${message.error.errorType}: ${message.error.errorMessage}\n`);
        return this.#settle?.({ ok: false, error: message.error, environmentLost: true });
      case 'error':
        return this.#settle?.({ ok: false, error: message.error, environmentLost: false });
      case 'response':
        return this.#settle?.(
          Buffer.byteLength(message.payload) > MAX_RESPONSE_BYTES
            ? { ok: false, error: responseTooLarge(), environmentLost: false }
            : { ok: true, payload: JSON.parse(message.payload) },
        );
    }
  }

  /** The thread died (exit, out of memory): whatever it was doing fails with `error`. */
  #lost(error: (requestId: string) => FunctionError): void {
    this.#alive = false;
    this.#settle?.({ ok: false, error: error(this.#requestId ?? 'init'), environmentLost: true });
  }

}

async function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), Math.max(0, ms))));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
