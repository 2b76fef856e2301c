import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerDefinition } from '../../functions/workers';
import { pollOnce } from '../../local/event-source';
import { type LocalQueues, startLocalQueues } from '../../local/queues';
import { handler } from '../support/lambda/sqs-writer';
import { createWritesTable, writesTagged } from '../support/lambda/writes';

/** A worker with a 1 s timeout, on a queue whose messages stay invisible for 3 s once received. */
const worker: WorkerDefinition = {
  handler: 'tests/support/lambda/sqs-writer.ts',
  queue: 'allocation',
  timeoutSeconds: 1,
  batchSize: 1,
  memoryMb: 256,
  uses: [],
};

let local: LocalQueues;
let sqs: SQSClient;

beforeAll(async () => {
  local = await startLocalQueues({ visibilityTimeoutSeconds: 3 });
  Object.assign(process.env, local.env);
  sqs = new SQSClient({});
  await createWritesTable();
});
afterAll(async () => {
  sqs.destroy();
  await local.stop();
});

describe('a worker still running at its Lambda timeout', () => {
  it('is stopped: what it does afterwards never lands, and its message comes back', async () => {
    // Prepare: the first delivery sleeps 1.5 s before writing, past the 1 s timeout
    await sqs.send(
      new SendMessageCommand({ QueueUrl: local.queues.allocation.url, MessageBody: JSON.stringify({ tag: 'slow', first_delivery_sleep_ms: 1500 }) }),
    );

    // Act
    const started = Date.now();
    await pollOnce(sqs, { name: 'sqsWriter', worker, handler, queue: local.queues.allocation }, { waitTimeSeconds: 0 });
    await sleep(Math.max(0, started + 3500 - Date.now()));
    await pollOnce(sqs, { name: 'sqsWriter', worker, handler, queue: local.queues.allocation }, { waitTimeSeconds: 1 });

    // Assess: the first delivery wrote nothing; the second delivery did the work
    expect(await writesTagged('slow')).toEqual([{ receive_count: 2 }]);
  });
});
