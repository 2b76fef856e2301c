import { existsSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresBusyError } from './postmaster';

// Beside postmaster.pid: the process that started the postmaster (Postgres ignores other files).
const OWNER_FILE = 'postmaster.owner';
const SHUTDOWN_TIMEOUT_MS = 30_000;

const pidIn = (file: string): number | undefined => {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/** Whether the process runs; a zombie (dead, not yet reaped by its new parent) does not. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: the state is the field after the parenthesised command name.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Whether the process is a server of `dataDir` (Postgres works in its data directory); where /proc is missing, the pid file is trusted, as pg_ctl does. */
function servesDataDir(pid: number, dataDir: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dataDir);
  } catch {
    return !existsSync('/proc/self');
  }
}

/** The command a process runs, as a user would name it (`npm start`), where /proc tells. */
function commandOf(pid: number): string {
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'another process';
  }
  if (commandLine.includes('local/start.ts')) return '`npm start`';
  if (commandLine.includes('local/migrate.ts')) return '`npm run migrate`';
  if (commandLine.includes('local/schema-manifest.ts')) return '`npm run schema:manifest`';
  return 'another process';
}

/** Records this process as the one the postmaster in `dataDir` belongs to. */
export function claimPostmaster(dataDir: string): void {
  writeFileSync(join(dataDir, OWNER_FILE), `${process.pid}\n`);
}

/**
 * Makes `dataDir` startable after a local stack was killed with kill -9. Killing only the node
 * process leaves its postmaster running, holding the port and the data directory: if the process
 * that started it is gone, it is shut down as `pg_ctl stop -m fast` does (SIGINT to the PID in
 * postmaster.pid, then wait), which pg_ctl itself refuses to do as root. Killing the whole group
 * leaves postmaster.pid naming a dead postmaster, which Postgres takes for a live one as long as
 * it is an unreaped zombie: that pid file is removed. A postmaster whose owner still runs is left
 * alone, and refused with a PostgresBusyError that names the owner.
 *
 * @example
 * await stopOrphanedPostmaster('.local/postgres'); // then start Postgres on it as usual
 */
export async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const postmaster = pidIn(pidFile);
  if (postmaster === undefined) return;
  if (!isRunning(postmaster) || !servesDataDir(postmaster, dataDir)) {
    rmSync(pidFile, { force: true });
    return;
  }
  const owner = pidIn(join(dataDir, OWNER_FILE));
  if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
    throw new PostgresBusyError(`the local database in ${dataDir} is in use by ${commandOf(owner)} (pid ${owner}): stop it (Ctrl-C), then run this again`);
  }
  console.warn(`postgres  stopping the postmaster (pid ${postmaster}) a killed local stack left running in ${dataDir}`);
  process.kill(postmaster, 'SIGINT');
  for (const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS; isRunning(postmaster); ) {
    if (Date.now() > deadline) throw new Error(`The postmaster (pid ${postmaster}) in ${dataDir} did not shut down within ${SHUTDOWN_TIMEOUT_MS / 1000} s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
