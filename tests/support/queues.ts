import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { type WorkerDefinition, workers } from '../../functions/workers';
import { pollOnce } from '../../local/event-source';
import { createLambdaRuntime, type LambdaRuntime } from '../../local/lambda/runtime';
import { type LocalQueues, startLocalQueues } from '../../local/queues';
import type { QueueName } from '../../shared/queue/queues';

/**
 * Real queues for the test file (the SQS emulator the local stack uses, visibility timeout 1 s
 * unless given),
 * and a deterministic driver for the workers: `drain(name)` feeds a worker's function, in the
 * local Lambda runtime, until its queue is empty and nothing is in flight, exactly as the event
 * source mapping would.
 */
export function useQueues(options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {}) {
  let local: LocalQueues;
  let sqs: SQSClient;
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    local = await startLocalQueues({ visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1, maxReceiveCount: options.maxReceiveCount ?? 3 });
    Object.assign(process.env, local.env);
    sqs = new SQSClient({});
    runtime = createLambdaRuntime();
  });
  afterAll(async () => {
    await runtime.stop();
    sqs.destroy();
    await local.stop();
  });

  const inspect = (queue: string) => local.server.inspectQueue(queue)?.messages;

  /**
   * Feeds a worker (from the worker table, or any definition) until its queue is empty and nothing
   * is in flight; `afterDelivery` runs after each poll that delivered messages.
   */
  async function drain(
    name: string,
    worker: WorkerDefinition = workers[name as keyof typeof workers],
    afterDelivery: () => Promise<void> = async () => {},
  ): Promise<number> {
    const queue = worker.queue;
    let delivered = 0;
    for (let idle = 0; idle < 2000; ) {
      const received = await pollOnce(sqs, { name, worker, runtime, queue: local.queues[queue] }, { waitTimeSeconds: 0 });
      delivered += received;
      if (received > 0) await afterDelivery();
      if (received > 0) continue;
      const messages = inspect(queue);
      if (messages === undefined || messages.inflight.length + messages.delayed.length + messages.ready.length === 0) return delivered;
      idle += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the ${queue} queue did not drain`);
  }

  return {
    drain,
    drainCalculations: (worker?: WorkerDefinition, afterDelivery?: () => Promise<void>) => drain('calculateAllocations', worker, afterDelivery),
    depth: (queue: QueueName | `${QueueName}-dlq`) => {
      const messages = inspect(queue);
      return messages === undefined ? 0 : messages.ready.length + messages.inflight.length + messages.delayed.length;
    },
    purge: () => local.server.reset(),
    /** Polls a queue once for a worker, as the event source mapping does; how many messages it received. */
    pollOnce: (name: string, worker: WorkerDefinition) =>
      pollOnce(sqs, { name, worker, runtime, queue: local.queues[worker.queue] }, { waitTimeSeconds: 0 }),
    /** Where the workers' functions run (set once the suite has started). */
    get runtime() {
      return runtime;
    },
    /** Each queue's URL and ARN (set once the suite has started). */
    get queueUrls() {
      return local.queues;
    },
  };
}
