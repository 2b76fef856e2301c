import { type WorkerDefinition, workers } from '../functions/workers';
import { logger } from '../shared/logger';
import { type EventSource, startEventSource } from './event-source';
import type { LambdaRuntime } from './lambda/runtime';
import type { LocalQueues } from './queues';

/** One event source per entry of the worker table, invoking its function in the local Lambda runtime. */
export function startWorkers(localQueues: LocalQueues, runtime: LambdaRuntime): { stop(): Promise<void> } {
  const sources: EventSource[] = [];
  for (const [name, worker] of Object.entries(workers) as [string, WorkerDefinition][]) {
    sources.push(
      startEventSource({
        name,
        worker,
        runtime,
        queue: localQueues.queues[worker.queue],
        onError: (error) => logger.error(`Event source ${name} failed`, error as Error),
      }),
    );
  }
  return { stop: async () => void (await Promise.all(sources.map((source) => source.stop()))) };
}
