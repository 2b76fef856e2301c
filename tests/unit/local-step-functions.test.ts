import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openExecutionStore } from '../../local/step-functions/execution-store';
import { localExecutions } from '../../local/step-functions/executions';
import type { AslDefinition, AslState } from '../../local/step-functions/one-state';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:unit';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:ask';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let dataDir = '';
let running: { close(): void }[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-sfn-unit-'));
});
afterEach(async () => {
  for (const process of running) process.close();
  running = [];
  await rm(dataDir, { recursive: true, force: true });
});

/** What one process of the local stack holds: the store under dataDir and the executions it drives. */
function startProcess(definition: AslDefinition, invokeTask: (state: AslState, input: unknown) => Promise<unknown> = async () => ({})) {
  const store = openExecutionStore(dataDir);
  const executions = localExecutions({ stateMachineArn: STATE_MACHINE_ARN, definition, store, invokeTask });
  executions.resume();
  const process = {
    executions,
    /** As a killed process: nothing more is recorded. */
    close: () => {
      running = running.filter((other) => other !== process);
      executions.close();
      store.close();
    },
  };
  running.push(process);
  return process;
}

/** A callback task that times out after `timeoutSeconds`, retried on States.TaskFailed, caught on States.Timeout. */
const askDefinition = (timeoutSeconds: number): AslDefinition => ({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: FUNCTION_ARN, Payload: { 'token.$': '$$.Task.Token', 'entered.$': '$$.State.EnteredTime' } },
      TimeoutSeconds: timeoutSeconds,
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Expired' }],
      ResultPath: '$.answer',
      Next: 'Done',
    },
    Expired: { Type: 'Pass', End: true },
    Done: { Type: 'Pass', End: true },
  },
});

describe('local Step Functions executions', () => {
  it('refuse a timeout longer than Node can time (it would fire at once)', () => {
    const store = openExecutionStore();
    const start = () => localExecutions({ stateMachineArn: STATE_MACHINE_ARN, definition: askDefinition(30 * 24 * 3600), store, invokeTask: async () => ({}) });

    expect(start).toThrow('Ask.TimeoutSeconds is 2592000 s; the local Step Functions can time at most 2147483 s (24.8 days)');
    store.close();
  });

  it('end FAILED with the error and cause of the state that failed', async () => {
    const { executions } = startProcess({ StartAt: 'Refuse', States: { Refuse: { Type: 'Fail', Error: 'Refused', Cause: 'Not today' } } });

    const { executionArn } = executions.start('refused', '{}');
    await executions.settled();

    expect(executions.describe(executionArn)).toMatchObject({ status: 'FAILED', error: 'Refused', cause: 'Not today' });
  });

  it('time out at startDate + TimeoutSeconds, with no error or cause, also when the process was down then', async () => {
    // Prepare
    const definition: AslDefinition = { StartAt: 'Idle', TimeoutSeconds: 1, States: { Idle: { Type: 'Wait', Seconds: 30, End: true } } };
    const first = startProcess(definition);
    const { executionArn, startDate } = first.executions.start('slow', '{}');

    // Act
    first.close();
    await sleep(1200);
    const second = startProcess(definition);
    await second.executions.settled();

    // Assess
    const timedOut = second.executions.describe(executionArn);
    expect(timedOut).toMatchObject({ status: 'TIMED_OUT', stopDate: new Date(startDate.getTime() + 1000) });
    expect(timedOut.error).toBeUndefined();
    expect(timedOut.cause).toBeUndefined();
  });

  it('count a Wait from when the state was entered, across a restart', async () => {
    // Prepare
    const definition: AslDefinition = { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 2, End: true } } };
    const first = startProcess(definition);
    const { executionArn, startDate } = first.executions.start('pause', '{"n":1}');

    // Act
    await sleep(1000);
    first.close();
    const second = startProcess(definition);
    await second.executions.settled();

    // Assess: done 2 s after the start, not 2 s after the restart
    const done = second.executions.describe(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"n":1}' });
    expect(done.stopDate!.getTime() - startDate.getTime()).toBeLessThan(2700);
  });

  it('time a callback task out from its first entry after a restart: caught as States.Timeout, never retried as States.TaskFailed', async () => {
    // Prepare
    const asked: { token: string; entered: string }[] = [];
    const ask = async (_state: AslState, input: unknown) => asked.push((input as { Payload: { token: string; entered: string } }).Payload);
    const first = startProcess(askDefinition(2), ask);
    const { executionArn, startDate } = first.executions.start('ask', '{}');
    await sleep(1000);

    // Act
    first.close();
    const second = startProcess(askDefinition(2), ask);
    await second.executions.settled();

    // Assess: the state ran again with its token and entry time, and expired on the first deadline
    const expired = second.executions.describe(executionArn);
    expect(JSON.parse(expired.output ?? '{}').failure).toEqual({ Error: 'States.Timeout', Cause: 'States.Timeout' });
    expect(expired.stopDate!.getTime() - startDate.getTime()).toBeLessThan(2700);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toEqual(asked[0]);
    expect(asked[0]?.entered).toBe(startDate.toISOString());
    expect(() => second.executions.sendTaskSuccess(asked[0]?.token ?? '', '{}')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('keep an answer acknowledged before a crash, even when the deadline passed while the process was down', async () => {
    // Prepare: the answer comes while the task's function is still running, then the process dies
    const tokens: string[] = [];
    const first = startProcess(askDefinition(1), async (_state, input) => {
      tokens.push((input as { Payload: { token: string } }).Payload.token);
      return new Promise(() => {});
    });
    const { executionArn } = first.executions.start('answered', '{}');
    await sleep(50);
    first.executions.sendTaskSuccess(tokens[0] ?? '', '{"decision":"approved"}');
    first.close();

    // Act
    await sleep(1200);
    let invokedAgain = false;
    const second = startProcess(askDefinition(1), async () => (invokedAgain = true));
    await second.executions.settled();

    // Assess
    const done = second.executions.describe(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":{"decision":"approved"}}' });
    expect(invokedAgain).toBe(false);
  });
});
