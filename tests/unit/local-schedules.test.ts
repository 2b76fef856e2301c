import { describe, expect, it } from 'vitest';
import { schedules } from '../../functions/schedules';
import { type ScheduleInvoker, startSchedules } from '../../local/schedules';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local schedules', () => {
  it('run every function of the schedule table through the invoker, one run of each at a time, with an EventBridge event', async () => {
    // Prepare: each run takes longer than the interval
    const runs: { name: string; source: string }[] = [];
    const inFlight = new Map<string, number>();
    let overlapped = false;
    const invoke: ScheduleInvoker = async (name, event) => {
      inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
      overlapped ||= (inFlight.get(name) ?? 0) > 1;
      runs.push({ name, source: event.source });
      await sleep(120);
      inFlight.set(name, (inFlight.get(name) ?? 0) - 1);
    };

    // Act
    const local = startSchedules({ invoke, intervalSeconds: 0.05 });
    await sleep(400);
    await local.stop();
    const afterStop = runs.length;
    await sleep(150);

    // Assess
    expect(new Set(runs.map((run) => run.name))).toEqual(new Set(Object.keys(schedules)));
    expect(runs.every((run) => run.source === 'aws.events')).toBe(true);
    expect(overlapped).toBe(false);
    expect(runs.filter((run) => run.name === 'reconcile').length).toBeLessThanOrEqual(4);
    expect([...inFlight.values()].every((n) => n === 0)).toBe(true); // stop waited for the runs in progress
    expect(runs.length).toBe(afterStop);
    expect(local.summary).toBe('relayOutbox every 0.05 s, reconcile every 0.05 s');
  });

  it('keeps running after a run fails', async () => {
    let runs = 0;
    const local = startSchedules({
      invoke: async () => {
        runs += 1;
        throw new Error('injected');
      },
      intervalSeconds: 0.02,
    });
    await sleep(150);
    await local.stop();
    expect(runs).toBeGreaterThan(Object.keys(schedules).length);
  });
});
