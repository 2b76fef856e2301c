import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalQueues } from '../../local/queues';

let dataDir = '';
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('the local queues', () => {
  it('keep their messages across a restart on the same data directory, in flight ones included, and take new attributes', async () => {
    // Prepare: one message waiting, one received (in flight) when the stack stops
    dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-sqs-'));
    const first = await startLocalQueues({ dataDir, visibilityTimeoutSeconds: 1 });
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: first.server.address, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: first.queues.allocation.url, MessageBody: '{"n":1}' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: first.queues.allocation.url, MessageBody: '{"n":2}' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: first.queues.allocation.url, MaxNumberOfMessages: 1 }));
    sqs.destroy();
    await first.stop();

    // Act
    const second = await startLocalQueues({ dataDir, visibilityTimeoutSeconds: 7 });
    try {
      // Assess
      const kept = second.server.inspectQueue('allocation');
      expect((kept?.messages.ready.length ?? 0) + (kept?.messages.inflight.length ?? 0)).toBe(2);
      expect(kept?.attributes.VisibilityTimeout).toBe('7');
    } finally {
      await second.stop();
    }
  });
});
