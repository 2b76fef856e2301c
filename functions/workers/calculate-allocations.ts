import * as z from '../../shared/zod';
import { calculationConfig } from '../../shared/config';
import { getDb } from '../../shared/db/client';
import { runCalculationDelivery } from '../../shared/distributions/calculation/calculation-delivery';
import { sqsWorker } from '../../shared/queue/worker';

export const calculationMessage = z.object({ event_id: z.uuid() });

/**
 * Calculates a distribution's allocations from the calculation's queue (`allocation`, its deployed name). Idempotent: a message for an
 * event that is not `calculating` does nothing, a redelivery resumes from the progress on the
 * event (saved after every chunk of every pass), and one that runs out of time enqueues its own
 * continuation: no statement that can run long starts with less than the configured margin
 * left, which covers a statement cut off at the Data API's timeout and a commit. A database error
 * that retrying cannot cure fails the event at once with its reason; any other error is retried,
 * and on its last delivery a message that keeps failing marks the event failed before going to
 * the dead-letter queue (runCalculationDelivery).
 */
export const handler = sqsWorker('calculate-allocations', calculationMessage, async ({ event_id }, { context, receiveCount, record }) => {
  const config = calculationConfig();
  await runCalculationDelivery(
    getDb(),
    event_id,
    { chunkSize: config.chunkSize, hasTimeLeft: () => context.getRemainingTimeInMillis() > config.timeMarginMs },
    { messageId: record.messageId, receiveCount, maxReceiveCount: config.maxReceiveCount },
  );
});
