import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkerDefinition } from '../functions/workers';
import { workerFunction } from './lambda/functions';
import { type InvocationResult, LambdaFunctionError, type LambdaRuntime } from './lambda/runtime';

export interface EventSource {
  /** Resolves once the poller has stopped (after the batch in hand, if any). */
  stop(): Promise<void>;
}

/** A received message as Lambda's SQS event source hands it to the function. */
export function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
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
  /** Where the worker's function runs. */
  runtime: LambdaRuntime;
  queue: { url: string; arn: string };
  region?: string;
  onError?: (error: unknown) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The messages of a batch that go back to the queue, as the event source mapping decides with
 * ReportBatchItemFailures: all of them after a function error (the handler threw or timed out)
 * or a response it cannot read (an `itemIdentifier` that is missing, empty or names no message
 * of the batch); otherwise those the handler reported, none if it reported nothing.
 */
export function messagesToRetry(invocation: InvocationResult, records: readonly SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (!invocation.ok) return all;
  const response = invocation.payload;
  if (response === null) return new Set();
  if (!isObject(response)) return all;
  const failures = response.batchItemFailures ?? [];
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((failure: unknown) => (isObject(failure) ? failure.itemIdentifier : undefined));
  return ids.every((id): id is string => typeof id === 'string' && all.has(id)) ? new Set(ids) : all;
}

/**
 * One poll of Lambda's SQS event source mapping: receives up to `batchSize` messages, invokes the
 * worker's function with an SQS event, deletes the messages that succeeded and leaves the
 * others (messagesToRetry) to reappear after the visibility timeout, until the redrive policy
 * moves them to the dead-letter queue.
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
  const event: SQSEvent = { Records: records };
  const invocation = await options.runtime.invoke(workerFunction(options.name, options.worker), event);
  if (!invocation.ok) options.onError?.(new LambdaFunctionError(invocation.error));
  const failed = messagesToRetry(invocation, records);
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
