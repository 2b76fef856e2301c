import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from '../zod';
import { appendInvocationKeys, logInvocation, logger } from '../logger';
import { flushMetrics, metrics, MetricUnit } from '../metrics';

export interface MessageContext {
  record: SQSRecord;
  context: Context;
  /** How many times SQS has delivered this message, this delivery included. */
  receiveCount: number;
}

/**
 * Handles the batch's records one after the other; those that fail, a message that does not
 * parse included, are logged and reported as batch item failures (SQS's partial batch response),
 * so only they return to the queue.
 */
async function eachRecord(event: SQSEvent, handle: (record: SQSRecord) => Promise<void>): Promise<SQSBatchResponse> {
  if (!Array.isArray(event.Records)) throw new Error('Not an SQS event: it has no Records');
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      await handle(record);
    } catch (error) {
      logger.error('Message failed; it returns to the queue', error as Error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/**
 * Builds an SQS-triggered Lambda handler: each record's JSON body is validated and handled on
 * its own; failed records are reported as batch item failures so only they return to the
 * queue, and after maxReceiveCount go to its dead-letter queue.
 */
export function sqsWorker<S extends z.ZodMiniType>(
  name: string,
  messageSchema: S,
  handle: (message: z.output<S>, meta: MessageContext) => Promise<void>,
) {
  // Once per execution environment: a dimension added per invocation outlives one that emits no metric.
  metrics.setDefaultDimensions({ worker: name });
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => logInvocation(context, { worker: name }, async () => {
    try {
      return await eachRecord(event, async (record) => {
        const receiveCount = Number(record.attributes.ApproximateReceiveCount);
        appendInvocationKeys({ message_id: record.messageId, receive_count: receiveCount });
        // How long the message waited in the queue before this delivery: the backlog signal.
        const sentAt = Number(record.attributes.SentTimestamp);
        if (Number.isFinite(sentAt)) metrics.addMetric('QueueMessageAge', MetricUnit.Milliseconds, Math.max(0, Date.now() - sentAt));
        const message = messageSchema.parse(JSON.parse(record.body));
        await handle(message, { record, context, receiveCount });
      });
    } finally {
      flushMetrics();
    }
  });
}
