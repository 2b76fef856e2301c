import type { SFNClient } from '@aws-sdk/client-sfn';

type Sdk = typeof import('@aws-sdk/client-sfn');
let loaded: Promise<{ client: SFNClient; sdk: Sdk }> | undefined;

/** The Step Functions client, loaded on first use (only the functions that signal pay for it). */
const sfn = () => (loaded ??= import('@aws-sdk/client-sfn').then((sdk) => ({ client: new sdk.SFNClient({}), sdk })));

/** Bounds a call, the SDK's own retries included. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

/** Errors Step Functions answers when a task token no longer waits (timed out, or already used). */
export const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const isStaleTokenError = (error: unknown): boolean =>
  error instanceof Error && STALE_TOKEN_ERRORS.has(error.name);

/** StartExecution's answer when the name is taken: by an execution of ours, as names are idempotency keys. */
export const isExecutionAlreadyExists = (error: unknown): boolean => error instanceof Error && error.name === 'ExecutionAlreadyExists';

/**
 * Starts a Standard execution. Step Functions treats the name as an idempotency key: the same
 * name and input while it runs returns the same execution; once it has ended,
 * ExecutionAlreadyExists.
 */
export async function startExecution(
  stateMachineArn: string,
  name: string,
  input: Record<string, unknown>,
  options: CallOptions = {},
): Promise<string> {
  const { client, sdk } = await sfn();
  const result = await client.send(new sdk.StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }), options);
  return result.executionArn ?? '';
}

export async function sendTaskSuccess(taskToken: string, output: Record<string, unknown>, options: CallOptions = {}): Promise<void> {
  const { client, sdk } = await sfn();
  await client.send(new sdk.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }), options);
}

export async function sendTaskFailure(taskToken: string, error: string, cause: string, options: CallOptions = {}): Promise<void> {
  const { client, sdk } = await sfn();
  await client.send(new sdk.SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) }), options);
}

/** The ARN of a state machine's execution with this name (Step Functions' documented format). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionDescription {
  status: ExecutionStatus;
  /** For a failed execution: the error and cause it failed with. */
  error?: string;
  cause?: string;
  stopDate?: Date;
}

/**
 * How an execution stands, or `undefined` if Step Functions knows no execution of that ARN
 * (it never started, or it ended more than 90 days ago).
 */
export async function describeExecution(executionArn: string, options: CallOptions = {}): Promise<ExecutionDescription | undefined> {
  const { client, sdk } = await sfn();
  try {
    const result = await client.send(new sdk.DescribeExecutionCommand({ executionArn }), options);
    return {
      status: (result.status ?? 'RUNNING') as ExecutionStatus,
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
      ...(result.stopDate === undefined ? {} : { stopDate: result.stopDate }),
    };
  } catch (error) {
    if (error instanceof sdk.ExecutionDoesNotExist) return undefined;
    throw error;
  }
}
