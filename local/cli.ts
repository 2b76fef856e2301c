import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError } from '../shared/config';
import { PostgresBusyError } from './postmaster';

/** A bad argument: one line naming it and where the usage is, exit code 2. */
export class UsageError extends Error {}

export interface Command {
  /** How a user runs it: `npm run token`. */
  name: string;
  /** What `--help` prints. */
  usage: string;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsOptionsConfig;

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/**
 * The command's options, parsed strictly with node:util parseArgs: an unknown option, a missing
 * value or a stray argument is a UsageError. `-h`/`--help` prints the usage and exits 0.
 *
 * @example
 * const { down } = parseCommandLine(MIGRATE, { down: { type: 'boolean', default: false } });
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(command: Command, options: O): Values<O> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { ...options, ...HELP }, strict: true, allowPositionals: false }));
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
  if (values.help === true) {
    process.stdout.write(command.usage);
    process.exit(0);
  }
  return values as Values<O>;
}

/** The message of an error the user can act on without a stack trace (a setting, a busy database), else undefined. */
export function plainMessageOf(error: unknown): string | undefined {
  return error instanceof ConfigError || error instanceof PostgresBusyError ? error.message : undefined;
}

/**
 * Runs a command's main: a UsageError prints one line and exits 2; an error the user can act on
 * (plainMessageOf) prints its message and exits 1; anything else its stack trace, exit 1.
 *
 * @example
 * await runCommand(TOKEN, async () => { … });
 */
export async function runCommand(command: Command, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command.name}: ${error.message} (see ${command.name} -- --help)\n`);
      process.exit(2);
    }
    const plain = plainMessageOf(error);
    process.stderr.write(plain === undefined ? `${command.name}: ${(error as Error)?.stack ?? String(error)}\n` : `${command.name}: ${plain}\n`);
    process.exit(1);
  }
}
