import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runNpm, useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
// A DATA_DIR and PG_PORT of their own for the commands run without a stack: nothing may be created there.
let scratch = '';
let scratchPgPort = 0;
const scratchEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? scratch, DATA_DIR: scratch, PG_PORT: String(scratchPgPort) });

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tokenstocks-cli-'));
  await chmod(scratch, 0o755);
  scratchPgPort = await freePort();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const STACK_TRACE = /^\s+at /m;

describe('the command line, tried as a new user would', () => {
  it.each([
    ['token', ['--help'], /^Usage: npm run token -- \[--role admin\|lp\].*--ttl-seconds/s],
    ['token', ['-h'], /^Usage: npm run token/],
    ['migrate', ['--help'], /^Usage: npm run migrate \[-- --down\]/],
    ['schema:manifest', ['--help'], /^Usage: npm run schema:manifest/],
  ])('npm run %s -- %s prints its usage and exits 0', async (script, args, usage) => {
    // Act
    const result = await runNpm(script, args, scratchEnv());

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(usage);
    expect(await readdir(scratch)).toEqual([]);
  });

  it.each([
    ['token', ['--bogus'], "Unknown option '--bogus'"],
    ['token', ['--role'], "Option '--role <value>' argument missing"],
    ['token', ['--role', 'root'], '--role must be admin or lp, not "root"'],
    ['token', ['--sub', '42'], '--sub must be a UUID, not "42"'],
    ['token', ['--ttl-seconds', 'abc'], '--ttl-seconds must be a whole number of seconds from 1, not "abc"'],
    ['token', ['--ttl-seconds', '0'], '--ttl-seconds must be a whole number of seconds from 1, not "0"'],
    ['token', ['admin'], "Unexpected argument 'admin'. This command does not take positional arguments"],
    ['migrate', ['--up'], "Unknown option '--up'"],
    ['migrate', ['--down=yes'], "Option '--down' does not take an argument"],
    ['schema:manifest', ['--force'], "Unknown option '--force'"],
  ])('npm run %s -- %s is refused in one line, exit 2', async (script, args, message) => {
    // Act
    const result = await runNpm(script, args, scratchEnv());

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`npm run ${script}: ${message} (see npm run ${script} -- --help)\n`);
    expect(await readdir(scratch)).toEqual([]);
  });

  describe('while npm start holds the database', () => {
    it.each(['migrate', 'schema:manifest'])('npm run %s says so plainly, exit 1', { timeout: 90_000 }, async (script) => {
      // Prepare
      if (!stack.running()) await stack.start();

      // Act
      const result = await stack.npmRun(script);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stderr).toMatch(/^npm run [a-z:]+: the local database in .*\/postgres is in use by `npm start` \(pid \d+\): stop it \(Ctrl-C\), then run this again\n$/);
      expect((await fetch(`http://127.0.0.1:${stack.env().PORT}/api/health`)).status).toBe(200);
    });

    it('npm run migrate with another DATA_DIR on the same PG_PORT says the port is taken, exit 1', { timeout: 60_000 }, async () => {
      // Prepare
      if (!stack.running()) await stack.start();

      // Act
      const result = await runNpm('migrate', [], { ...stack.env(), DATA_DIR: scratch });

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stderr).toBe(
        `npm run migrate: port ${stack.env().PG_PORT} is in use, perhaps by \`npm start\` with another DATA_DIR: stop it, or choose another port\n`,
      );
      expect(await readdir(scratch)).toEqual([]);
    });
  });
});
