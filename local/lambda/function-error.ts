/**
 * What Lambda answers a synchronous invocation with when it fails (`X-Amz-Function-Error:
 * Unhandled`): the handler's own error as the Node.js runtime formats it, or an error the service
 * raises itself (timeout, oversized response, a runtime that died). The shapes and texts are
 * Lambda's: aws-lambda-nodejs-runtime-interface-client `src/utils/error.ts` and `errors.ts`, and
 * the timeout text of aws-lambda-runtime-interface-emulator.
 */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Lambda's limit on a synchronous invocation's response payload, in bytes. */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Lambda's limit on the init phase (module load) before the first invocation. */
export const INIT_TIMEOUT_MS = 10_000;

/** The error a handler threw (or rejected with), as the Node.js runtime reports it. */
export function thrownError(error: unknown): FunctionError {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The handler was still running at its deadline; Lambda stopped the environment. */
export const timedOut = (requestId: string, timeoutSeconds: number): FunctionError => ({
  errorType: 'Sandbox.Timedout',
  errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
});

/** The handler's response, serialised, is larger than MAX_RESPONSE_BYTES. */
export const responseTooLarge = (): FunctionError => ({
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
});

/** The handler's response cannot be serialised to JSON (a cycle, a BigInt). */
export const unserialisableResponse = (): FunctionError => ({
  errorType: 'Runtime.JSONStringifyError',
  errorMessage: 'Unable to stringify response body',
});

/** The environment's memory limit was reached: Lambda kills the runtime. */
export const outOfMemory = (requestId: string): FunctionError => ({
  errorType: 'Runtime.OutOfMemory',
  errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
});

/** The runtime exited during the invocation (`process.exit`, a crash). */
export const runtimeExited = (requestId: string, exitCode: number): FunctionError => ({
  errorType: 'Runtime.ExitError',
  errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${exitCode}`,
});

/** The module loaded but does not export the handler. */
export const handlerNotFound = (handler: string): FunctionError => ({
  errorType: 'Runtime.HandlerNotFound',
  errorMessage: `${handler} is undefined or not exported`,
});

/** The module (or one it imports) could not be found. */
export const importModuleError = (error: Error): FunctionError => ({
  errorType: 'Runtime.ImportModuleError',
  errorMessage: String(error),
  trace: error.stack?.split('\n') ?? [],
});

/** The module failed to parse. */
export const userCodeSyntaxError = (error: Error): FunctionError => ({
  errorType: 'Runtime.UserCodeSyntaxError',
  errorMessage: String(error),
  trace: error.stack?.split('\n') ?? [],
});

/**
 * Whether Lambda raised the error itself (the runtime, the sandbox, the service) rather than the
 * handler throwing it: the types above, and the Runtime.* family a crashing runtime reports.
 */
export function isRaisedByLambda(error: FunctionError): boolean {
  return /^(Sandbox|Runtime|Function)\./.test(error.errorType);
}
