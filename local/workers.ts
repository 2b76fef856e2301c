import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type WorkerDefinition, workers } from '../functions/workers';
import { logger } from '../shared/logger';
import { type EventSource, startEventSource } from './event-source';
import type { LocalQueues } from './queues';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** One event source per entry of the worker table, invoking the same handler modules Lambda runs. */
export async function startWorkers(localQueues: LocalQueues): Promise<{ stop(): Promise<void> }> {
  const sources: EventSource[] = [];
  for (const [name, worker] of Object.entries(workers) as [string, WorkerDefinition][]) {
    const module = await import(pathToFileURL(resolve(REPO_ROOT, worker.handler)).href);
    sources.push(
      startEventSource({
        name,
        worker,
        handler: module.handler,
        queue: localQueues.queues[worker.queue],
        onError: (error) => logger.error(`Event source ${name} failed`, error as Error),
      }),
    );
  }
  return { stop: async () => void (await Promise.all(sources.map((source) => source.stop()))) };
}
