import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import type { WorkerDefinition } from '../../functions/workers';
import { MAX_RESPONSE_BYTES } from '../../local/lambda/function-error';
import { workerFunction } from '../../local/lambda/functions';
import { createLambdaRuntime, type LambdaFunction, type LambdaRuntime } from '../../local/lambda/runtime';
import { defineRoute, type ResponseDefinition } from '../../shared/http/route';
import { useApi } from '../support/api';
import { createWritesTable, writesTagged } from '../support/lambda/writes';
import { useQueues } from '../support/queues';

/** Test functions (tests/support/lambda), each with a 1 s timeout. */
const testFunction = (module: string): LambdaFunction => ({
  name: `test-${module}`,
  handler: `tests/support/lambda/${module}.ts`,
  timeoutSeconds: 1,
  memoryMb: 256,
});
const probe = testFunction('probe');
const actAfterSleep = testFunction('act-after-sleep');
/** An API Gateway event carries its parameters in the query string; the test functions read them there. */
const withQuery = (query: Record<string, string> = {}) => ({ queryStringParameters: query });
const bodyOf = (result: { ok: boolean; payload?: unknown }) => JSON.parse((result.payload as { body: string }).body);

const testRoute = (module: string, method: 'GET' | 'POST' = 'GET', response: ResponseDefinition = { body: z.unknown() }) =>
  defineRoute({ method, path: `/test/${module}`, access: 'public', handler: `tests/support/lambda/${module}.ts`, summary: module, request: {}, response, uses: [] });

const api = useApi({
  routes: {
    actAfterSleep: testRoute('act-after-sleep', 'POST', { status: 201, body: z.object({ environment_id: z.string() }) }),
    throws: testRoute('throws'),
    oversized: testRoute('oversized-response'),
  },
  timeoutSeconds: 1,
});
// Received messages stay invisible for 3 s: three times the test worker's timeout.
const queues = useQueues({ visibilityTimeoutSeconds: 3 });
let runtime: LambdaRuntime;
let sqs: SQSClient;

beforeAll(async () => {
  runtime = createLambdaRuntime();
  sqs = new SQSClient({});
  await createWritesTable();
});
afterAll(async () => {
  sqs.destroy();
  await runtime.stop();
});

describe('the local Lambda runtime', () => {
  afterEach(() => {
    delete process.env.LAMBDA_PROBE;
  });

  it('runs one invocation at a time per environment: a warm one is reused, another starts while it is busy', async () => {
    // Act
    const first = bodyOf(await runtime.invoke(probe, withQuery()));
    const second = bodyOf(await runtime.invoke(probe, withQuery()));
    const together = await Promise.all([runtime.invoke(probe, withQuery({ sleep_ms: '300' })), runtime.invoke(probe, withQuery({ sleep_ms: '300' }))]);

    // Assess
    expect(second.environment_id).toBe(first.environment_id);
    const environments = new Set(together.map((result) => bodyOf(result).environment_id));
    expect(environments.size).toBe(2);
    expect(environments).toContain(first.environment_id);
    expect(runtime.environmentCounts()[probe.name]).toBe(2);
  });

  it('makes an invocation wait for a busy environment at the cap, and reaps idle environments', async () => {
    // Prepare: one environment per function, reaped after a second unused
    const capped = createLambdaRuntime({ maxConcurrencyPerFunction: 1, idleSeconds: 1 });
    try {
      // Act
      const together = await Promise.all([capped.invoke(probe, withQuery({ sleep_ms: '200' })), capped.invoke(probe, withQuery())]);
      const countWhileWarm = capped.environmentCounts()[probe.name];
      await sleep(2500);

      // Assess
      expect(new Set(together.map((result) => bodyOf(result).environment_id)).size).toBe(1);
      expect(countWhileWarm).toBe(1);
      expect(capped.environmentCounts()).toEqual({});
    } finally {
      await capped.stop();
    }
  });

  it('reuses a warm environment when the runtime is at its cap of environments', async () => {
    const full = createLambdaRuntime({ maxEnvironments: 1 });
    try {
      const first = await full.invoke(probe, withQuery());
      const second = await full.invoke(probe, withQuery());

      expect(bodyOf(second).environment_id).toBe(bodyOf(first).environment_id);
    } finally {
      await full.stop();
    }
  });

  it("fixes an environment's variables when it starts, and takes a change to them as a configuration update", async () => {
    // Prepare: a warm environment, then one busy with a slow invocation, both started on 'before'
    const fn = { ...probe, name: 'test-probe-variables' };
    process.env.LAMBDA_PROBE = 'before';
    const warm = bodyOf(await runtime.invoke(fn, withQuery()));
    const busy = runtime.invoke(fn, withQuery({ sleep_ms: '600' }));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Act: the variable changes while that invocation runs, as a deployment would change it
    process.env.LAMBDA_PROBE = 'after';
    const afterChange = bodyOf(await runtime.invoke(fn, withQuery()));

    // Assess: the running invocation keeps what its environment started with; the next one gets a fresh environment
    expect(warm).toMatchObject({ probe: 'before', function_name: 'test-probe-variables' });
    expect(bodyOf(await busy)).toMatchObject({ probe: 'before' });
    expect(afterChange.probe).toBe('after');
    expect(afterChange.environment_id).not.toBe(warm.environment_id);
  });

  it('tells the handler the time left before its deadline', async () => {
    const { remaining_ms: remaining } = bodyOf(await runtime.invoke(probe, withQuery()));

    expect(remaining).toBeGreaterThan(500);
    expect(remaining).toBeLessThanOrEqual(1000);
  });

  it('stops a handler at its timeout: nothing it does afterwards lands, and a fresh environment follows', async () => {
    // Prepare: a warm environment
    const warm = await runtime.invoke(actAfterSleep, withQuery({ tag: 'warm' }));

    // Act: sleep 1.5 s, then write a row and send a message, in a function that times out at 1 s;
    // then wait past the moment it would have written
    const timedOut = await runtime.invoke(actAfterSleep, withQuery({ sleep_ms: '1500', tag: 'late', queue_url: queues.queueUrls.redemption.url }));
    await sleep(1000);
    const next = await runtime.invoke(actAfterSleep, withQuery({ tag: 'next' }));

    // Assess
    expect(timedOut).toEqual({
      requestId: timedOut.requestId,
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds` },
    });
    expect(await writesTagged('late')).toEqual([]);
    expect(queues.depth('redemption')).toBe(0);
    expect(bodyOf(next).environment_id).not.toBe(bodyOf(warm).environment_id);
    expect(await writesTagged('next')).toHaveLength(1);
  });

  it("returns an error nobody caught in Lambda's function-error shape, its trace in the TypeScript source", async () => {
    const result = await runtime.invoke(testFunction('throws'), withQuery());

    expect(result).toMatchObject({ ok: false, error: { errorType: 'RangeError', errorMessage: 'thrown on purpose' } });
    const { trace } = (result as { error: { trace: string[] } }).error;
    expect(trace[0]).toBe('RangeError: thrown on purpose');
    expect(trace[1]).toContain('tests/support/lambda/throws.ts');
  });

  it('ends an environment that runs out of its memory size, as Lambda does', async () => {
    const fn = { ...testFunction('exhausts-memory'), memoryMb: 128, timeoutSeconds: 20 };

    const result = await runtime.invoke(fn, withQuery());

    expect(result).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` },
    });
    expect(runtime.environmentCounts()[fn.name]).toBeUndefined();
  });

  it('refuses a response larger than 6 MB, as Lambda refuses it', async () => {
    const oversized = testFunction('oversized-response');

    const atTheLimit = await runtime.invoke(oversized, withQuery({ payload_bytes: String(MAX_RESPONSE_BYTES) }));
    const overTheLimit = await runtime.invoke(oversized, withQuery({ payload_bytes: String(MAX_RESPONSE_BYTES + 1) }));

    expect(atTheLimit.ok).toBe(true);
    expect(overTheLimit).toMatchObject({
      ok: false,
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      },
    });
  });
});

describe('the local gateway', () => {
  const internalServerError = (response: { status: number; headers: Headers; body: unknown }) => {
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toEqual({ message: 'Internal Server Error' });
  };

  it('answers a function that times out as the HTTP API does, 500 Internal Server Error, and nothing it did late lands', async () => {
    const response = await api.request('POST', '/test/act-after-sleep?sleep_ms=1500&tag=gateway-late');
    await sleep(1000); // past the moment it would have written

    internalServerError(response);
    expect(await writesTagged('gateway-late')).toEqual([]);
  });

  it.each([
    ['a function error', '/test/throws'],
    ['a response over 6 MB', `/test/oversized-response?payload_bytes=${MAX_RESPONSE_BYTES + 1}`],
  ])('answers %s as the HTTP API does: 500 Internal Server Error', async (_case, path) => {
    internalServerError(await api.get(path));
  });
});

describe('the SQS event source', () => {
  const worker: WorkerDefinition = { handler: 'tests/support/lambda/sqs-writer.ts', queue: 'allocation', timeoutSeconds: 1, batchSize: 3, memoryMb: 256, uses: [] };
  const send = (...messages: object[]) =>
    Promise.all(messages.map((message) => sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrls.allocation.url, MessageBody: JSON.stringify(message) }))));
  const pollAfter = async (started: number, seconds: number) => {
    await sleep(Math.max(0, started + seconds * 1000 - Date.now()));
    return queues.pollOnce('sqsWriter', worker);
  };

  // A warm environment, so the first delivery's time is the function's timeout and no cold start.
  beforeAll(() => queues.runtime.invoke(workerFunction('sqsWriter', worker), { Records: [] }));

  it('leaves a batch whose function timed out to come back after the visibility timeout, and processes it then', async () => {
    // Prepare: the first delivery sleeps 1.5 s before writing, past the 1 s timeout
    await send({ tag: 'slow', first_delivery_sleep_ms: 1500 });

    // Act
    const started = Date.now();
    const firstDelivery = await queues.pollOnce('sqsWriter', worker);
    const whileInvisible = await queues.pollOnce('sqsWriter', worker);
    const secondDelivery = await pollAfter(started, 3.5);

    // Assess: the first delivery wrote nothing; the second one did the work and the message is gone
    expect([firstDelivery, whileInvisible, secondDelivery]).toEqual([1, 0, 1]);
    expect(await writesTagged('slow')).toEqual([{ receive_count: 2 }]);
    expect(queues.depth('allocation')).toBe(0);
  });

  it('deletes the messages the function processed and returns only those it reported failed', async () => {
    await send({ tag: 'done-1' }, { tag: 'failing', fail: true }, { tag: 'done-2' });

    const started = Date.now();
    expect(await queues.pollOnce('sqsWriter', worker)).toBe(3);
    expect(await pollAfter(started, 3.5)).toBe(1);

    expect(await writesTagged('done-1')).toEqual([{ receive_count: 1 }]);
    expect(await writesTagged('done-2')).toEqual([{ receive_count: 1 }]);
    expect(queues.depth('allocation')).toBe(1);
    queues.purge();
  });

  it('returns the whole batch when the failure report names no message of it', async () => {
    await send({ tag: 'unknown-report', report_unknown: true });

    const started = Date.now();
    expect(await queues.pollOnce('sqsWriter', worker)).toBe(1);
    expect(await pollAfter(started, 3.5)).toBe(1);
    queues.purge();
  });
});
