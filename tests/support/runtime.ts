import { afterAll, beforeAll } from 'vitest';
import type { ScheduleName } from '../../functions/schedules';
import { createLambdaRuntime, type LambdaRuntime } from '../../local/lambda/runtime';
import { invokeScheduleIn, scheduledEvent } from '../../local/schedules';

/**
 * A local Lambda runtime for the test file (the one `npm start` runs every function in), and a
 * way to run a scheduled function in it as its schedule would.
 */
export function useLambdaRuntime() {
  let runtime: LambdaRuntime;
  beforeAll(() => {
    runtime = createLambdaRuntime();
  });
  afterAll(() => runtime.stop());
  return {
    /** One run of a schedule's function with an EventBridge event; rejects if the run fails. */
    runSchedule: (name: ScheduleName) => invokeScheduleIn(runtime)(name, scheduledEvent(name)),
  };
}
