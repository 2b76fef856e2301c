import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkerDefinition } from '../functions/workers';
import { lambdaContext } from './lambda-context';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSource {
  /** Resolves once the poller has stopped (after the batch in hand, if any). */
  stop(): Promise<void>;
}

function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export interface EventSourceOptions {
  name: string;
  worker: WorkerDefinition;
  handler: SqsHandler;
  queue: { url: string; arn: string };
  region?: string;
  onError?: (error: unknown) => void;
}

/**
 * One poll of Lambda's SQS event source mapping: receives up to `batchSize` messages, invokes the
 * handler with an SQS event, deletes the messages that succeeded and leaves the reported
 * failures (or, if the handler throws, the whole batch) to reappear after the visibility
 * timeout, until the redrive policy moves them to the dead-letter queue.
 * Returns how many messages it received.
 */
export async function pollOnce(
  sqs: SQSClient,
  options: EventSourceOptions,
  poll: { waitTimeSeconds: number; abortSignal?: AbortSignal },
): Promise<number> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const { Messages: messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queue.url,
      MaxNumberOfMessages: Math.min(10, options.worker.batchSize),
      WaitTimeSeconds: poll.waitTimeSeconds,
      MessageSystemAttributeNames: ['All'],
    }),
    { abortSignal: poll.abortSignal },
  );
  if (messages.length === 0) return 0;
  const records = messages.map((message) => toRecord(message, options.queue.arn, region));
  let failed: Set<string>;
  try {
    const response = await options.handler({ Records: records }, lambdaContext({ functionName: `local-${options.name}`, timeoutSeconds: options.worker.timeoutSeconds, memoryMb: options.worker.memoryMb }));
    failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    options.onError?.(error);
    failed = new Set(records.map((record) => record.messageId));
  }
  const done = records.filter((record) => !failed.has(record.messageId));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queue.url,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
  }
  return messages.length;
}

/** Polls a worker's queue until stopped, as Lambda's event source mapping does. */
export function startEventSource(options: EventSourceOptions): EventSource {
  const sqs = new SQSClient({});
  const abort = new AbortController();
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        await pollOnce(sqs, options, { waitTimeSeconds: 1, abortSignal: abort.signal });
      } catch (error) {
        if (!running) break;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const finished = loop();
  return {
    stop: async () => {
      running = false;
      abort.abort();
      await finished;
    },
  };
}
