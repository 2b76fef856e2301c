import type { ResourceUse } from '../../shared/http/route';

export interface ScheduleDefinition {
  /** Module exporting `handler`, invoked with the schedule's event and nothing to answer. */
  handler: string;
  /** How often it runs: an EventBridge schedule on AWS, a timer in the local stack. */
  everyMinutes: number;
  timeoutSeconds: number;
  memoryMb: number;
  uses: readonly ResourceUse[];
}

/**
 * Every function run on a schedule rather than by a request or a queue. Infrastructure creates
 * one Lambda and one schedule per entry; the local stack runs the same handler modules on timers.
 */
export const schedules = {
  /** Delivers what the transactional outbox holds and earlier deliveries could not. */
  relayOutbox: {
    handler: 'functions/schedules/relay-outbox.ts',
    everyMinutes: 1,
    timeoutSeconds: 60,
    memoryMb: 256,
    // Domain events and approvers' notifications are the relay's alone to send (README: Domain events).
    uses: ['database', 'allocation-queue', 'redemption-queue', 'redemption-workflow:start', 'redemption-workflow:decide', 'event-bus', 'approvers-topic'],
  },
  /** Finds work that waits past its time (a calculation, an execution, a hand-off) and heals or reports it; ends dual-control proposals past their window; deletes expired idempotency records. */
  reconcile: {
    handler: 'functions/schedules/reconcile.ts',
    everyMinutes: 5,
    timeoutSeconds: 120,
    memoryMb: 256,
    uses: ['database', 'redemption-workflow:describe'],
  },
} as const satisfies Record<string, ScheduleDefinition>;

export type ScheduleName = keyof typeof schedules;
