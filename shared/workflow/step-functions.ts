import type { SFNClient } from '@aws-sdk/client-sfn';

type Sdk = typeof import('@aws-sdk/client-sfn');
let loaded: Promise<{ client: SFNClient; sdk: Sdk }> | undefined;

/** The Step Functions client, loaded on first use (only the functions that signal pay for it). */
const sfn = () => (loaded ??= import('@aws-sdk/client-sfn').then((sdk) => ({ client: new sdk.SFNClient({}), sdk })));

/** Errors Step Functions answers when a task token no longer waits (timed out, or already used). */
export const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const isStaleTokenError = (error: unknown): boolean =>
  error instanceof Error && STALE_TOKEN_ERRORS.has(error.name);

/**
 * Starts a Standard execution. Step Functions treats the name as an idempotency key: the same
 * name and input while it runs returns the same execution.
 */
export async function startExecution(stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<string> {
  const { client, sdk } = await sfn();
  const result = await client.send(new sdk.StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  return result.executionArn ?? '';
}

export async function sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
  const { client, sdk } = await sfn();
  await client.send(new sdk.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
  const { client, sdk } = await sfn();
  await client.send(new sdk.SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) }));
}
