import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** What the worker process reports of itself once the queue is drained. */
export interface WorkerFigures {
  deliveries: number;
  peak_rss_mb: number;
}

export interface WorkerProcess {
  /** How it ended ("exit code 0", "signal SIGTERM"); undefined while it runs. */
  readonly exit: string | undefined;
  /** Resolves once it has exited: its figures, or undefined when it was stopped or crashed before printing them. */
  readonly finished: Promise<WorkerFigures | undefined>;
  /** Ends it if it still runs, and waits until it has. */
  stop(): Promise<WorkerFigures | undefined>;
}

/**
 * Starts bench/run-worker.ts in its own process with `env` as its whole environment: the
 * allocation worker polling the queue until it stays empty. Its logs at WARN and above reach
 * the bench's stderr (Powertools writes those there); its figures come on stdout's last line.
 */
export function startWorkerProcess(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'run-worker.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let exit: string | undefined;
  child.stdout.on('data', (chunk) => (out += chunk));
  const finished = new Promise<WorkerFigures | undefined>((done) => {
    const ended = (how: string) => {
      if (exit !== undefined) return;
      exit = how;
      done(how === 'exit code 0' ? (JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as WorkerFigures) : undefined);
    };
    child.on('error', (error) => ended(`failed to start: ${error.message}`));
    child.on('exit', (code, signal) => ended(signal === null ? `exit code ${code}` : `signal ${signal}`));
  });
  return {
    get exit() {
      return exit;
    },
    finished,
    stop: () => {
      if (exit === undefined) child.kill('SIGTERM');
      return finished;
    },
  };
}
