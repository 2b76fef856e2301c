import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from '../lambda-context';
import { type FunctionError, handlerNotFound, importModuleError, thrownError, unserialisableResponse, userCodeSyntaxError } from './function-error';
import type { EnvironmentData, EnvironmentMessage, InvokeMessage } from './protocol';

/**
 * The inside of one execution environment (a worker thread): loads the function's bundle once
 * (Lambda's init phase), then runs one invocation at a time, as Lambda's Node.js runtime does.
 */

type Handler = (event: unknown, context: unknown) => unknown;

const port = parentPort;
if (port === null) throw new Error('environment-main runs only inside a worker thread');
const { moduleUrl, handlerName, functionName, memoryMb, compileCacheDir } = workerData as EnvironmentData;
// A cold start compiles the bundle from V8's cache when an earlier environment compiled it:
// about 20 ms of the 75 ms it takes to load a bundle. It changes timing only, not behaviour.
enableCompileCache(compileCacheDir);
const post = (message: EnvironmentMessage) => port.postMessage(message);

// Output goes to the host on the invocations' own port, so it is written before their results.
for (const stream of ['stdout', 'stderr'] as const) {
  process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    post({ type: 'output', stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
}

// As Lambda's runtime: an error nobody caught ends the environment, and the invocation with it.
const crash = (error: FunctionError, exitCode: number) => {
  post({ type: 'crash', error });
  process.exit(exitCode);
};
process.on('uncaughtException', (error) => crash(thrownError(error), 129));
process.on('unhandledRejection', (reason) =>
  crash({ ...thrownError(reason), errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: String(reason) }, 128),
);

function loadError(error: unknown): FunctionError {
  if (error instanceof SyntaxError) return userCodeSyntaxError(error);
  const code = (error as { code?: string }).code;
  if (error instanceof Error && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')) return importModuleError(error);
  return thrownError(error);
}

async function load(): Promise<Handler | FunctionError> {
  try {
    const module = (await import(moduleUrl)) as { handler?: unknown };
    return typeof module.handler === 'function' ? (module.handler as Handler) : handlerNotFound(handlerName);
  } catch (error) {
    return loadError(error);
  }
}

function serialise(result: unknown): string | undefined {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    return undefined;
  }
}

async function invoke(handler: Handler, { requestId, event, deadlineMs }: InvokeMessage): Promise<EnvironmentMessage> {
  const context = lambdaContext({ functionName, memoryMb, requestId, deadlineMs });
  try {
    const payload = serialise(await handler(event, context));
    return payload === undefined ? { type: 'error', requestId, error: unserialisableResponse() } : { type: 'response', requestId, payload };
  } catch (error) {
    return { type: 'error', requestId, error: thrownError(error) };
  }
}

const loaded = await load();
if (typeof loaded !== 'function') {
  post({ type: 'init-error', error: loaded });
} else {
  port.on('message', (message: InvokeMessage) => void invoke(loaded, message).then(post));
  post({ type: 'ready' });
}
