import { mkdirSync } from 'node:fs';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { MAX_RECEIVE_COUNT, type QueueName, queues } from '../shared/queue/queues';
import { visibilityTimeoutSecondsOf } from '../functions/workers';

export interface LocalQueues {
  server: FauxqsServer;
  /** Queue URL and ARN by name, and each dead-letter queue's name. */
  queues: Record<QueueName, { url: string; arn: string; deadLetterQueue: string }>;
  /** The approvers' SNS topic (the emulator speaks SNS too); nothing subscribes to it here. */
  approversTopic: { name: string; arn: string };
  /** Environment that points the AWS SDK and the handlers at these queues. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const APPROVERS_TOPIC = 'approvers';

/**
 * Runs the queues in an SQS wire-protocol emulator (npm `fauxqs`) in this process, each with its
 * dead-letter queue after MAX_RECEIVE_COUNT deliveries, as infrastructure defines them, and the
 * approvers' SNS topic in the same emulator.
 * `visibilityTimeoutSeconds` overrides AWS's six worker timeouts (tests want retries in seconds).
 */
export async function startLocalQueues(options: {
  port?: number;
  dataDir?: string;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}): Promise<LocalQueues> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const server = await startFauxqs({ port: options.port ?? 0, logger: false, dataDir: options.dataDir, defaultRegion: REGION });
  const maxReceiveCount = options.maxReceiveCount ?? MAX_RECEIVE_COUNT;
  // Path-style on the emulator's own address: fauxqs's `sqs.<region>.localhost` host names need DNS
  // this machine may not have, and the SDK sends requests to the queue URL's host.
  const localUrl = (queueUrl: string) => `${server.address}${new URL(queueUrl).pathname}`;
  const sqs = new SQSClient({ region: REGION, endpoint: server.address, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  /**
   * The queue with these attributes. One kept under `dataDir` from an earlier start keeps its
   * messages and takes the attributes (creating it again would replace it, messages and all).
   */
  async function ensureQueue(name: string, attributes: Record<string, string>) {
    const kept = server.inspectQueue(name);
    if (kept === undefined) {
      const queue = server.createQueue(name, { attributes });
      return { url: localUrl(queue.queueUrl), arn: queue.queueArn };
    }
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: localUrl(kept.url), Attributes: attributes }));
    return { url: localUrl(kept.url), arn: kept.arn };
  }

  const created = {} as LocalQueues['queues'];
  try {
    for (const name of Object.keys(queues) as QueueName[]) {
      const deadLetterQueue = `${name}-dlq`;
      const dlq = await ensureQueue(deadLetterQueue, { MessageRetentionPeriod: '1209600' });
      const visibility = options.visibilityTimeoutSeconds ?? visibilityTimeoutSecondsOf(name);
      const queue = await ensureQueue(name, {
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: String(maxReceiveCount) }),
      });
      created[name] = { ...queue, deadLetterQueue };
    }
  } finally {
    sqs.destroy();
  }
  // Creating a topic is idempotent: one kept under `dataDir` is answered as it is.
  const approversTopic = { name: APPROVERS_TOPIC, arn: server.createTopic(APPROVERS_TOPIC).topicArn };
  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SQS: server.address,
    AWS_ENDPOINT_URL_SNS: server.address,
    APPROVERS_TOPIC_ARN: approversTopic.arn,
    MAX_RECEIVE_COUNT: String(maxReceiveCount),
  };
  for (const name of Object.keys(queues) as QueueName[]) env[queues[name].envVar] = created[name].url;
  return { server, queues: created, approversTopic, env, stop: () => server.stop() };
}
