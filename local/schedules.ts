import { randomUUID } from 'node:crypto';
import { type ScheduleDefinition, type ScheduleName, schedules } from '../functions/schedules';
import { logger } from '../shared/logger';
import { scheduleFunction } from './lambda/functions';
import { type LambdaRuntime, payloadOrThrow } from './lambda/runtime';

/** The event EventBridge hands a scheduled function. */
export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** Runs one scheduled function with its event: the one place the local stack invokes them. */
export type ScheduleInvoker = (name: ScheduleName, event: ScheduledEvent) => Promise<void>;

/**
 * The schedule's function, invoked in the local Lambda runtime as EventBridge Scheduler invokes it
 * on AWS: with its timeout, in its own execution environment. A failed run rejects with its error.
 */
export function invokeScheduleIn(runtime: LambdaRuntime): ScheduleInvoker {
  return async (name, event) => {
    payloadOrThrow(await runtime.invoke(scheduleFunction(name), event));
  };
}

export const scheduledEvent = (name: ScheduleName, at: Date = new Date()): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: at.toISOString(),
  region: process.env.AWS_REGION ?? 'us-east-1',
  resources: [`arn:aws:scheduler:us-east-1:000000000000:schedule/default/local-${name}`],
  detail: {},
});

export interface LocalSchedules {
  /** What runs how often, e.g. `relayOutbox every 60 s, reconcile every 300 s`. */
  summary: string;
  /** Stops the timers and waits for the runs in progress. */
  stop(): Promise<void>;
}

/**
 * A timer per entry of the schedule table (functions/schedules/index.ts), as EventBridge schedules
 * them on AWS: each runs its function every `everyMinutes` (or every `intervalSeconds`, to watch
 * them locally), never two runs of one function at once. A failed run is logged; the next runs
 * on time.
 */
export function startSchedules(options: { invoke: ScheduleInvoker; intervalSeconds?: number }): LocalSchedules {
  const { invoke } = options;
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  const every: string[] = [];
  for (const [name, schedule] of Object.entries(schedules) as [ScheduleName, ScheduleDefinition][]) {
    const intervalSeconds = options.intervalSeconds ?? schedule.everyMinutes * 60;
    every.push(`${name} every ${intervalSeconds} s`);
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const run = invoke(name, scheduledEvent(name))
        .catch((error: unknown) => logger.error(`Scheduled function ${name} failed`, error as Error))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    };
    timers.push(setInterval(tick, intervalSeconds * 1000));
  }
  return {
    summary: every.join(', '),
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
