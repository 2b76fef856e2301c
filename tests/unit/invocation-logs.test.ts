import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from '../../shared/zod';
import { handler as createProjectHandler } from '../../functions/projects/create-project';
import { lambdaContext } from '../../local/lambda-context';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { logger } from '../../shared/logger';
import { sqsWorker } from '../../shared/queue/worker';
import { scheduledHandler } from '../../shared/schedules/scheduled-handler';
import { captureOutput } from '../support/output';

// One module instance holds a route, a worker, a workflow step and a schedule, as an execution
// environment keeps its modules between invocations, and the tests' and bench's processes run
// several at once. Lines at INFO, so that every probe's line is written.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const ADMIN = randomUUID();
const INVOCATION_KEYS = ['request_id', 'route', 'caller_id', 'worker', 'message_id', 'receive_count', 'schedule'];

/** A request the route refuses with 400 before touching the database: it logs "Request refused". */
function refusedRequest() {
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey: 'POST /api/projects',
    rawPath: '/api/projects',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: '{"name":""}',
    isBase64Encoded: false,
    requestContext: {
      requestId,
      routeKey: 'POST /api/projects',
      http: { method: 'POST', path: '/api/projects', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      authorizer: { jwt: { claims: { sub: ADMIN, email: 'admin@example.com', email_verified: 'true', iat: String(Math.floor(Date.now() / 1000)), 'cognito:groups': '[admin]' }, scopes: [] } },
    },
  };
  const context = lambdaContext({ functionName: 'create-project', timeoutSeconds: 29 });
  return { requestId, context, run: () => createProjectHandler(event as never, context) };
}

const sqsEvent = (messageId: string): SQSEvent =>
  ({ Records: [{ messageId, body: '{}', attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) } }] }) as never;

/** The same wrapper each kind of function uses, around a probe that writes one line. */
const probes: Record<string, (write: () => Promise<void>) => (context: Context) => Promise<unknown>> = {
  worker: (write) => (context) => sqsWorker('probe-worker', z.object({}), write)(sqsEvent(randomUUID()), context),
  'workflow step': (write) => (context) => workflowStep('probe-step', z.object({}), write)({}, context),
  schedule: (write) => (context) => scheduledHandler('probe-schedule', write)({}, context),
};

const linesSaying = (lines: Record<string, any>[], message: string) => lines.filter((line) => line.message === message);

describe('log lines name their own invocation, never another one', () => {
  it.each(Object.keys(probes))('a %s run after a route carries its own context and none of the request', async (kind) => {
    // Prepare
    const request = refusedRequest();
    const context = lambdaContext({ functionName: `probe-${kind}`, timeoutSeconds: 30 });
    const run = probes[kind]!(async () => logger.info('probe line'));
    const output = captureOutput();

    // Act
    await request.run();
    await run(context);
    output.restore();

    // Assess
    const [refused] = linesSaying(output.json(), 'Request refused');
    const [probe] = linesSaying(output.json(), 'probe line');
    expect(refused).toMatchObject({ request_id: request.requestId, caller_id: ADMIN, function_request_id: request.context.awsRequestId });
    expect(probe).toMatchObject({ function_name: `probe-${kind}`, function_request_id: context.awsRequestId });
    for (const key of ['request_id', 'route', 'caller_id']) expect(probe).not.toHaveProperty(key);
  });

  it.each(Object.keys(probes))('a %s and a route running at once in one process each keep their own keys', async (kind) => {
    // Prepare: the probe starts, waits while a whole request runs, then writes its line
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const context = lambdaContext({ functionName: `probe-${kind}`, timeoutSeconds: 30 });
    const run = probes[kind]!(async () => {
      await released;
      logger.info('probe line');
    });
    const request = refusedRequest();
    const output = captureOutput();

    // Act
    const probeRun = run(context);
    await request.run();
    release();
    await probeRun;
    output.restore();

    // Assess
    const [refused] = linesSaying(output.json(), 'Request refused');
    const [probe] = linesSaying(output.json(), 'probe line');
    expect(refused).toMatchObject({ request_id: request.requestId, route: 'POST /api/projects', caller_id: ADMIN, function_request_id: request.context.awsRequestId });
    for (const key of ['worker', 'message_id', 'schedule']) expect(refused).not.toHaveProperty(key);
    expect(probe).toMatchObject({ function_name: `probe-${kind}`, function_request_id: context.awsRequestId });
    for (const key of ['request_id', 'route', 'caller_id']) expect(probe).not.toHaveProperty(key);
    if (kind === 'worker') expect(probe).toMatchObject({ worker: 'probe-worker', message_id: expect.any(String) });
    if (kind === 'schedule') expect(probe).toMatchObject({ schedule: 'probe-schedule' });
  });

  it('a line written after its invocation ended (an idle connection lost) names no invocation', async () => {
    // Prepare: a worker leaves work behind that writes a line once the invocation has returned
    let lineWritten = () => {};
    const written = new Promise<void>((resolve) => (lineWritten = resolve));
    const context = lambdaContext({ functionName: 'probe-worker', timeoutSeconds: 30 });
    const run = probes.worker!(async () => {
      logger.info('probe line');
      setTimeout(() => {
        logger.warn('Idle database connection lost');
        lineWritten();
      }, 10);
    });
    const output = captureOutput();

    // Act
    await run(context);
    await written;
    output.restore();

    // Assess
    const [probe] = linesSaying(output.json(), 'probe line');
    const [lost] = linesSaying(output.json(), 'Idle database connection lost');
    expect(probe).toMatchObject({ worker: 'probe-worker', function_request_id: context.awsRequestId });
    for (const key of [...INVOCATION_KEYS, 'function_request_id', 'function_name']) expect(lost).not.toHaveProperty(key);
  });
});

describe('a queue worker and a message it cannot read', () => {
  it('logs the failure with the message id and returns only that message to the queue', async () => {
    // Prepare: a batch of a good message and one whose body the schema refuses
    const good = randomUUID();
    const poison = randomUUID();
    const event = {
      Records: [
        { messageId: good, body: '{"amount":"1"}', attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) } },
        { messageId: poison, body: '{"amount":1}', attributes: { ApproximateReceiveCount: '2', SentTimestamp: String(Date.now()) } },
      ],
    } as never;
    const handled: string[] = [];
    const worker = sqsWorker('probe-worker', z.object({ amount: z.string() }), async (message) => void handled.push(message.amount));
    const output = captureOutput();

    // Act
    const response = await worker(event, lambdaContext({ functionName: 'probe-worker', timeoutSeconds: 30 }));
    output.restore();

    // Assess
    expect(handled).toEqual(['1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison }] });
    const [failed] = linesSaying(output.json(), 'Message failed; it returns to the queue');
    expect(failed).toMatchObject({ level: 'ERROR', worker: 'probe-worker', message_id: poison, receive_count: 2 });
  });
});
