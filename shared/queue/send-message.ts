import type { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../config';
import { type QueueName, queues } from './queues';

let client: Promise<{ sqs: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }> | undefined;

/** The SQS client, loaded on first send (the AWS SDK costs cold-start time only where it is used). */
const sqsClient = () =>
  (client ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
    sqs: new SQSClient({}),
    SendMessageCommand,
  })));

export function queueUrl(queue: QueueName): string {
  const name = queues[queue].envVar;
  const url = process.env[name];
  if (url === undefined || url === '') throw new ConfigError(`${name} is not set: the ${queue} queue's URL`);
  return url;
}

/**
 * Sends one JSON message to a queue; resolves once SQS has accepted it. `abortSignal` bounds the
 * call, the SDK's own retries included.
 */
export async function sendMessage(queue: QueueName, body: Record<string, unknown>, options: { abortSignal?: AbortSignal } = {}): Promise<void> {
  const url = queueUrl(queue);
  const { sqs, SendMessageCommand } = await sqsClient();
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }), { abortSignal: options.abortSignal });
}
