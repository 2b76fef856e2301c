import * as z from '../../shared/zod';
import { calculationConfig } from '../../shared/config';
import { getDb } from '../../shared/db/client';
import { advanceCalculation, failCalculation } from '../../shared/distributions/calculation/calculate-allocations';
import { findCalculationEvent } from '../../shared/distributions/calculation/calculation.repository';
import { logger } from '../../shared/logger';
import { metrics, MetricUnit } from '../../shared/metrics';
import { handOff } from '../../shared/outbox/handoff';
import { calculationHandoff } from '../../shared/outbox/handoffs';
import { sqsWorker } from '../../shared/queue/worker';

export const allocationMessage = z.object({ event_id: z.uuid() });

/**
 * Calculates a distribution's allocations from the allocation queue. Idempotent: a message for an
 * event that is not `calculating` does nothing, a redelivery resumes from the progress on the
 * event (saved after every chunk of every pass), and one that runs out of time enqueues its own
 * continuation: no statement that can run long starts with less than the configured margin
 * left, which covers a statement cut off at the Data API's timeout and a commit. A database error that retrying
 * cannot cure fails the event at once with its reason; any other error is retried, and on its
 * last delivery a message that keeps failing marks the event failed before going to the
 * dead-letter queue.
 */
export const handler = sqsWorker('allocate-distribution', allocationMessage, async ({ event_id }, { context, receiveCount, record }) => {
  const config = calculationConfig();
  const db = getDb();
  try {
    const outcome = await advanceCalculation(db, event_id, {
      chunkSize: config.chunkSize,
      hasTimeLeft: () => context.getRemainingTimeInMillis() > config.timeMarginMs,
    });
    logger.info('Calculation step finished', { event_id, outcome });
    if (outcome === 'calculated') await recordCalculationMetrics(event_id);
    if (outcome === 'paused') await handOff(db, calculationHandoff(event_id));
  } catch (error) {
    if (receiveCount >= config.maxReceiveCount) {
      const event = await findCalculationEvent(db, event_id);
      if (event !== undefined) {
        // The error itself stays in the logs: the reason is shown to API callers.
        const reason = `The calculation failed ${receiveCount} times and was stopped; its error is logged under message ${record.messageId}`;
        await failCalculation(db, { eventId: event_id, projectId: event.project_id, requestedBy: event.calculation_requested_by ?? event.created_by }, reason);
      }
    }
    throw error;
  }
});

/** From the request to calculate to the allocations written (across paused steps), and the holders allocated. */
async function recordCalculationMetrics(eventId: string): Promise<void> {
  const event = await findCalculationEvent(getDb(), eventId);
  if (event?.calculation_requested_at == null || event.calculated_at == null) return;
  metrics.addMetric(
    'CalculationDuration',
    MetricUnit.Milliseconds,
    new Date(event.calculated_at).getTime() - new Date(event.calculation_requested_at).getTime(),
  );
  metrics.addMetric('HoldersPerCalculation', MetricUnit.Count, event.snapshot_holder_count ?? 0);
}
