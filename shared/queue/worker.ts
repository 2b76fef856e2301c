import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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
 * Builds an SQS-triggered Lambda handler: each record's JSON body is validated and handled on
 * its own; failed records are reported as batch item failures (Powertools Batch) so only they
 * return to the queue, and after maxReceiveCount go to its dead-letter queue.
 */
export function sqsWorker<S extends z.ZodMiniType>(
  name: string,
  messageSchema: S,
  handle: (message: z.output<S>, meta: MessageContext) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  // Once per execution environment: a dimension added per invocation outlives one that emits no metric.
  metrics.setDefaultDimensions({ worker: name });
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => logInvocation(context, { worker: name }, async () => {
    try {
      return await processPartialResponse(
        event,
        async (record: SQSRecord) => {
          const receiveCount = Number(record.attributes.ApproximateReceiveCount);
          appendInvocationKeys({ message_id: record.messageId, receive_count: receiveCount });
          // How long the message waited in the queue before this delivery: the backlog signal.
          const sentAt = Number(record.attributes.SentTimestamp);
          if (Number.isFinite(sentAt)) metrics.addMetric('QueueMessageAge', MetricUnit.Milliseconds, Math.max(0, Date.now() - sentAt));
          const message = messageSchema.parse(JSON.parse(record.body));
          try {
            await handle(message, { record, context, receiveCount });
          } catch (error) {
            logger.error('Message failed; it returns to the queue', error as Error);
            throw error;
          }
        },
        processor,
        { processInParallel: false, throwOnFullBatchFailure: false },
      );
    } finally {
      flushMetrics();
    }
  });
}
