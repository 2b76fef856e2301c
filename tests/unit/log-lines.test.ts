import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../local/lambda-context';
import { appendInvocationKeys, logInvocation, logger } from '../../shared/logger';

// The JSON line operators' queries read (Powertools Logger's format, which shared/logger.ts keeps).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

/** The lines written to each stream while `act` runs, parsed. */
async function linesOf(act: () => unknown): Promise<{ stdout: Record<string, any>[]; stderr: Record<string, any>[] }> {
  const written = { stdout: [] as string[], stderr: [] as string[] };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: unknown) => written[stream].push(String(chunk)) > 0),
  );
  try {
    await act();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  const parse = (chunks: string[]) => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
  return { stdout: parse(written.stdout), stderr: parse(written.stderr) };
}

afterEach(() => {
  logger.setLogLevel('DEBUG');
  vi.unstubAllEnvs();
});

describe('a log line', () => {
  it('carries level, message, timestamp, service, sampling_rate and the X-Ray trace, in that order, on stdout', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');

    const { stdout, stderr } = await linesOf(() => logger.info('plain', { count: 2 }));

    expect(stderr).toEqual([]);
    expect(stdout).toEqual([
      { level: 'INFO', message: 'plain', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'tokenstocks', sampling_rate: 0, xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793', count: 2 },
    ]);
    expect(Object.keys(stdout[0]!)).toEqual(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id', 'count']);
  });

  it('names its invocation: the Lambda context, then the invocation’s keys, then its own', async () => {
    const context = lambdaContext({ functionName: 'log-lines', timeoutSeconds: 3 });

    const { stdout } = await linesOf(() =>
      logInvocation(context, { request_id: 'r-1' }, async () => {
        appendInvocationKeys({ caller_id: 'c-1' });
        logger.debug('inside', { step: 'one' });
      }),
    );

    expect(Object.keys(stdout[0]!)).toEqual([
      'level', 'message', 'timestamp', 'service', 'cold_start', 'function_arn', 'function_memory_size', 'function_name', 'function_request_id',
      'sampling_rate', 'request_id', 'caller_id', 'step',
    ]);
    expect(stdout[0]).toMatchObject({ level: 'DEBUG', function_name: 'log-lines', function_request_id: context.awsRequestId, request_id: 'r-1', caller_id: 'c-1', step: 'one' });
  });

  it('carries an error as name, location, message, stack, cause and its own fields, on stderr', async () => {
    // Made in a named function, so that its first stack frame names the file: the location is that frame's.
    const made = () => Object.assign(new Error('outer', { cause: new TypeError('inner') }), { code: 'E1', rows: 5n });
    const error = made();

    const { stdout, stderr } = await linesOf(() => {
      logger.error('failed', error);
      logger.warn('failed inside', { error, attempt: 1 });
    });

    expect(stdout).toEqual([]);
    const formatted = {
      name: 'Error',
      location: expect.stringMatching(/log-lines\.test\.ts:\d+$/),
      message: 'outer',
      stack: expect.stringMatching(/^Error: outer\n/),
      cause: { name: 'TypeError', location: expect.stringMatching(/log-lines\.test\.ts:\d+$/), message: 'inner', stack: expect.stringMatching(/^TypeError: inner\n/) },
      code: 'E1',
      rows: '5',
    };
    expect(stderr.map(({ level, message, error: logged, attempt }) => ({ level, message, error: logged, attempt }))).toEqual([
      { level: 'ERROR', message: 'failed', error: formatted, attempt: undefined },
      { level: 'WARN', message: 'failed inside', error: formatted, attempt: 1 },
    ]);
  });

  it('leaves out empty top-level values, a circular reference and reserved keys (with a warning)', async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;

    const { stdout, stderr } = await linesOf(() => logger.info('odd', { empty: '', nil: null, nested: { nil: null }, circular, service: 'other', note: 'text' }));

    expect(stderr).toEqual([expect.objectContaining({ level: 'WARN', message: 'The key "service" is a reserved key and will be dropped.' })]);
    expect(stdout).toEqual([expect.objectContaining({ service: 'tokenstocks', nested: { nil: null }, circular: { a: 1 }, note: 'text' })]);
    expect(Object.keys(stdout[0]!)).not.toEqual(expect.arrayContaining(['empty', 'nil']));
  });

  it('is written only at or above the level', async () => {
    logger.setLogLevel('WARN');

    const { stdout, stderr } = await linesOf(() => {
      logger.debug('no');
      logger.info('no');
      logger.warn('yes');
    });

    expect([...stdout, ...stderr].map((line) => line.message)).toEqual(['yes']);
  });
});
