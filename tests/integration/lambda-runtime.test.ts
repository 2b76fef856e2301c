import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerDefinition } from '../../functions/workers';
import { createWritesTable, writesTagged } from '../support/lambda/writes';
import { useQueues } from '../support/queues';

// Received messages stay invisible for 3 s: three times the test worker's timeout.
const queues = useQueues({ visibilityTimeoutSeconds: 3 });
let sqs: SQSClient;

beforeAll(async () => {
  sqs = new SQSClient({});
  await createWritesTable();
});
afterAll(() => {
  sqs.destroy();
});

describe('the SQS event source', () => {
  const worker: WorkerDefinition = { handler: 'tests/support/lambda/sqs-writer.ts', queue: 'allocation', timeoutSeconds: 1, batchSize: 3, memoryMb: 256, uses: [] };
  const send = (...messages: object[]) =>
    Promise.all(messages.map((message) => sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrls.allocation.url, MessageBody: JSON.stringify(message) }))));
  const pollAfter = async (started: number, seconds: number) => {
    await sleep(Math.max(0, started + seconds * 1000 - Date.now()));
    return queues.pollOnce('sqsWriter', worker);
  };

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
