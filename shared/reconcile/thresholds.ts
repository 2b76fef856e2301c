import { workers } from '../../functions/workers';
import { redemptionWorkflowSteps } from '../../functions/workflow';
import { VISIBILITY_TIMEOUT_FACTOR } from '../queue/queues';

const seconds = (n: number) => n * 1000;
const minutes = (n: number) => n * 60_000;

/**
 * When waiting work counts as overdue, from the timeouts of what should be moving it.
 */
export const THRESHOLDS = {
  /** No worker can still be on a calculation that has not moved for longer than a worker may run. */
  calculationStallMs: seconds(workers.calculateAllocations.timeoutSeconds) + minutes(1),
  /** SQS would have retried a failed planning once by then (one visibility timeout). */
  planningStallMs: seconds(workers.planRedemption.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
  /** Heals without progress before the work is failed with its reason. */
  maxHeals: 3,
  /** From planned to waiting for approval: Validate and its retries (2 + 4 + 8 + 16 s) take far less. */
  workflowStartMs: minutes(5),
  /** Past the approval window, Expire should have rejected the request. */
  expiryGraceMs: minutes(5),
  /** From approval to completion: Execute and its four retries, each up to its timeout. */
  executionMs: seconds(redemptionWorkflowSteps.execute.timeoutSeconds * 5 + 30) + minutes(5),
  /** An outbox message the relay (every minute, with backoff) has not delivered by then is reported. */
  outboxOverdueMs: minutes(10),
} as const;

/** Items each check looks at per run: the reconciler's run is bounded, the rest waits for the next. */
export const ITEMS_PER_RUN = 50;
