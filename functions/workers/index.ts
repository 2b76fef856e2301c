import type { ResourceUse } from '../../shared/http/route';
import { type QueueName, VISIBILITY_TIMEOUT_FACTOR } from '../../shared/queue/queues';

export { type QueueName, queues } from '../../shared/queue/queues';

export interface WorkerDefinition {
  /** Module exporting `handler` (an SQS event handler reporting batch item failures). */
  handler: string;
  queue: QueueName;
  /** The Lambda timeout; the queue's visibility timeout is at least six times this. */
  timeoutSeconds: number;
  batchSize: number;
  memoryMb: number;
  uses: readonly ResourceUse[];
  /**
   * The CDK id the worker's function was first deployed under, when its key has been renamed
   * since: the id names the Lambda, its role and its log group, which a new id would replace.
   */
  deployedId?: string;
}

/**
 * Every SQS-triggered worker. Infrastructure creates one Lambda and one event source mapping
 * per entry; the local stack polls the same queues and feeds the same handlers.
 */
export const workers = {
  calculateAllocations: {
    handler: 'functions/workers/calculate-allocations.ts',
    queue: 'allocation',
    timeoutSeconds: 300,
    batchSize: 1,
    memoryMb: 512,
    uses: ['database', 'allocation-queue'],
    // Deployed as allocateDistribution: the old id keeps the function and its log group.
    deployedId: 'AllocateDistribution',
  },
  planRedemption: {
    handler: 'functions/workers/plan-redemption.ts',
    queue: 'redemption',
    timeoutSeconds: 60,
    batchSize: 5,
    memoryMb: 256,
    uses: ['database', 'redemption-workflow:start'],
  },
} as const satisfies Record<string, WorkerDefinition>;

/** A queue no worker consumes yet gets the visibility timeout a 30-second worker would need. */
const DEFAULT_WORKER_TIMEOUT_SECONDS = 30;

/**
 * The visibility timeout a queue needs for the slowest worker it feeds (infrastructure and the
 * local stack).
 *
 * @example visibilityTimeoutSecondsOf('allocation') // 1800: six times calculateAllocations' 300 s
 */
export function visibilityTimeoutSecondsOf(queue: QueueName): number {
  const timeouts = Object.values(workers as Record<string, WorkerDefinition>)
    .filter((worker) => worker.queue === queue)
    .map((worker) => worker.timeoutSeconds);
  return VISIBILITY_TIMEOUT_FACTOR * Math.max(DEFAULT_WORKER_TIMEOUT_SECONDS, ...timeouts);
}
