import { Console } from 'node:console';

let made: Console | undefined;

/**
 * The console the logger and the metrics write through: their own, as Powertools had, which
 * ignores the streams' write errors (a closed pipe) and is not the global console a test or a
 * tool may replace. Made on first write, since opening stdout and stderr costs a cold start a
 * few milliseconds that an API answer which logs nothing never needs.
 */
export function ownConsole(): Console {
  made ??= new Console({ stdout: process.stdout, stderr: process.stderr });
  return made;
}
