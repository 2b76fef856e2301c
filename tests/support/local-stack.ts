import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { stopOrphanedPostmaster } from '../../local/orphaned-postmaster';

const ROOT = resolve(import.meta.dirname, '../..');
// Node with tsx as its loader, in one process: a SIGKILL to it is a kill -9 of the stack.
const NODE_WITH_TSX = [process.execPath, '--disable-warning=ExperimentalWarning', '--import', 'tsx'] as const;

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('condition not met in time');
}

/** `npm run -s <script> -- <args>` in the repository; never rejects: the exit code tells. */
export async function runNpm(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

/**
 * `npm start` as a child process for the test file: its own DATA_DIR (readable by the postgres
 * user when running as root) and free ports, started, killed and started again by the tests.
 */
export function useLocalStack(settings: Record<string, string> = {}) {
  let dataDir = '';
  let env: Record<string, string> = {};
  let stack: ChildProcess | undefined;
  /** Everything the stacks printed. */
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-e2e-'));
    await chmod(dataDir, 0o755);
    const [port, pgPort, sqsPort, sfnPort, eventsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      DATA_DIR: dataDir,
      PORT: String(port),
      PG_PORT: String(pgPort),
      SQS_PORT: String(sqsPort),
      SFN_PORT: String(sfnPort),
      EVENTS_PORT: String(eventsPort),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      ...settings,
    };
  });
  afterAll(async () => {
    if (stack !== undefined && stack.exitCode === null && stack.signalCode === null) {
      stack.kill('SIGTERM');
      await once(stack, 'exit');
    }
    await stopOrphanedPostmaster(join(dataDir, 'postgres'));
    await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Starts the stack; resolves once the API is served. `via: 'npm'` runs `npm start` itself (npm,
   * its shell and tsx in front of the stack's node, as a terminal runs it), not the stack's node alone.
   */
  async function start({ via = 'node' }: { via?: 'node' | 'npm' } = {}): Promise<ChildProcess> {
    const [command, ...args] = via === 'npm' ? ['npm', 'start'] : [...NODE_WITH_TSX, 'local/start.ts'];
    // A process group of its own, as a terminal gives npm start: the group can be killed as one.
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    const append = (chunk: Buffer) => {
      log += chunk.toString();
      output += chunk.toString();
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the local stack exited (${code}):\n${log}`);
    });
    await Promise.race([until(async () => (log.includes('api       http://') ? true : undefined), 60_000), exited]);
    exited.catch(() => {});
    stack = child;
    return child;
  }

  const running = () => stack !== undefined && stack.exitCode === null && stack.signalCode === null;

  /** kill -9 of the node process (its Postgres lives on), or of its whole process group. */
  async function kill(what: 'process' | 'group' = 'process'): Promise<void> {
    if (stack === undefined) return;
    if (what === 'group') process.kill(-(stack.pid ?? 0), 'SIGKILL');
    else stack.kill('SIGKILL');
    await once(stack, 'exit');
  }

  /**
   * Ctrl-C in the stack's terminal: SIGINT to its whole process group. Resolves with how the
   * started process exited, once everything that held its output has exited too.
   */
  async function interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (stack === undefined) throw new Error('the local stack is not running');
    const closed = once(stack, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    process.kill(-(stack.pid ?? 0), 'SIGINT');
    const [code, signal] = await closed;
    return { code, signal };
  }

  /** `npm run <script> -- <args>` with the stack's settings, as a user runs it in a second terminal. */
  async function npmRun(script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    return runNpm(script, args, env);
  }

  /** `npm run token`: a bearer token from the local identity provider under DATA_DIR. */
  async function token(role: 'admin' | 'lp', sub: string, email: string): Promise<string> {
    const { stdout } = await promisify(execFile)(NODE_WITH_TSX[0], [...NODE_WITH_TSX.slice(1), 'local/token.ts', '--role', role, '--sub', sub, '--email', email], {
      cwd: ROOT,
      env,
    });
    return stdout.trim();
  }

  /** An API client signed in with `bearer`. */
  function client(bearer: string) {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${env.PORT}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    return { get: (path: string) => call('GET', path), post: (path: string, body?: unknown) => call('POST', path, body) };
  }

  return {
    start,
    running,
    kill,
    interrupt,
    npmRun,
    token,
    client,
    /** The stack's DATA_DIR. */
    dataDir: () => dataDir,
    /** The process group the stack was started in, as a terminal gives it one. */
    processGroup: () => stack?.pid,
    /** The stack's settings (ports, DATA_DIR), for commands run beside it. */
    env: () => ({ ...env }),
    /** The stack's database, for seeding and checking from the test. */
    databaseUrl: () => `postgres://postgres:postgres@127.0.0.1:${env.PG_PORT}/tokenstocks`,
    /** Everything the stacks printed so far. */
    output: () => output,
  };
}
