import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** utime, stime, cutime, cstime of a process, in clock ticks (proc(5): fields 14–17). */
function times(pid: number): [number, number, number, number] | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * CPU time the Postgres server of `dataDir` has used so far, in ms: the postmaster, its live
 * children (backends, background processes) and the children that have ended. Null where there
 * is no /proc (not Linux). Clock ticks are taken as 10 ms (USER_HZ = 100 on Linux).
 */
export function postgresCpuMs(dataDir: string): number | null {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  const own = times(postmaster);
  if (own === null) return null;
  let ticks = own[0] + own[1] + own[2] + own[3];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || parentOf(Number(entry)) !== postmaster) continue;
    const child = times(Number(entry));
    if (child !== null) ticks += child[0] + child[1];
  }
  return ticks * 10;
}
