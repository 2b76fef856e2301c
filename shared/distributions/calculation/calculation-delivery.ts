import type { Db } from '../../db/client';
import { logger } from '../../logger';
import { metrics, MetricUnit } from '../../metrics';
import { handOff } from '../../outbox/handoff';
import { calculationHandoff } from '../../outbox/handoffs';
import { calculateAllocations, type CalculationOptions, type CalculationOutcome } from './calculate-allocations';
import { failCalculation } from './fail-calculation';
import { findCalculationEvent } from './calculation.repository';

/** Which delivery of the calculation message this is, and how many the queue allows. */
export interface CalculationDelivery {
  messageId: string;
  /** How many times the queue has delivered this message, this delivery included. */
  receiveCount: number;
  /** Deliveries before the message goes to the dead-letter queue. */
  maxReceiveCount: number;
}

/**
 * Runs one delivery of a distribution's calculation message: calculates as far as time allows, records
 * its metrics once calculated, and hands a paused one its continuation message. An error is
 * rethrown so the message returns to the queue; on its last delivery the event is first marked
 * failed, so a calculation never stays `calculating` once its message is dead-lettered.
 *
 * @example
 * await runCalculationDelivery(db, eventId, { chunkSize, hasTimeLeft }, { messageId, receiveCount, maxReceiveCount });
 */
export async function runCalculationDelivery(
  db: Db,
  eventId: string,
  options: CalculationOptions,
  delivery: CalculationDelivery,
): Promise<CalculationOutcome> {
  try {
    const outcome = await calculateAllocations(db, eventId, options);
    logger.info('Calculation step finished', { event_id: eventId, outcome });
    if (outcome === 'calculated') await recordCalculationMetrics(db, eventId);
    if (outcome === 'paused') await handOff(db, calculationHandoff(eventId));
    return outcome;
  } catch (error) {
    if (delivery.receiveCount >= delivery.maxReceiveCount) await failAfterLastDelivery(db, eventId, delivery);
    throw error;
  }
}

async function failAfterLastDelivery(db: Db, eventId: string, delivery: CalculationDelivery): Promise<void> {
  const event = await findCalculationEvent(db, eventId);
  if (event === undefined) return;
  // The error itself stays in the logs: the reason is shown to API callers.
  const reason = `The calculation failed ${delivery.receiveCount} times and was stopped; its error is logged under message ${delivery.messageId}`;
  await failCalculation(db, { eventId, projectId: event.project_id, requestedBy: event.calculation_requested_by ?? event.created_by }, reason);
}

/** From the request to calculate to the allocations written (across paused steps), and the holders allocated. */
async function recordCalculationMetrics(db: Db, eventId: string): Promise<void> {
  const event = await findCalculationEvent(db, eventId);
  if (event?.calculation_requested_at == null || event.calculated_at == null) return;
  metrics.addMetric(
    'CalculationDuration',
    MetricUnit.Milliseconds,
    new Date(event.calculated_at).getTime() - new Date(event.calculation_requested_at).getTime(),
  );
  metrics.addMetric('HoldersPerCalculation', MetricUnit.Count, event.snapshot_holder_count ?? 0);
}
