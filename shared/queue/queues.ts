import type { ResourceUse } from '../http/route';

/** The queues SQS carries work on. Each has a dead-letter queue. */
export const queues = {
  // The calculation's queue, under the name it was deployed with: the name feeds the stateful
  // stack's logical ids (AllocationQueue…), its URL's variable and the outbox rows' payload.queue.
  allocation: { envVar: 'ALLOCATION_QUEUE_URL', use: 'allocation-queue' },
  redemption: { envVar: 'REDEMPTION_QUEUE_URL', use: 'redemption-queue' },
} as const satisfies Record<string, { envVar: string; use: ResourceUse }>;

export type QueueName = keyof typeof queues;

/** Deliveries before a message moves to its dead-letter queue (infrastructure and the local stack). */
export const MAX_RECEIVE_COUNT = 5;

/** SQS hides a received message this many worker timeouts long (AWS's advice for Lambda sources). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
