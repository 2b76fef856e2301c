import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, SQSEvent } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { handler as getProject } from '../../functions/projects/get-project';
import { handler as validateRedemption } from '../../functions/workflow/validate-redemption';
import { handler as planRedemption } from '../../functions/workers/plan-redemption';
import { type DataApiEmulator, startDataApiEmulator } from '../../local/data-api/server';
import { lambdaContext } from '../../local/lambda-context';
import { closeDb, getDb } from '../../shared/db/client';
import { RuleViolationError, TemporarilyUnavailableError } from '../../shared/errors';
import { runInInvocation } from '../../shared/lambda/invocation';
import { logger } from '../../shared/logger';
import { newUser, useApi } from '../support/api';
import { createProject } from '../support/fixtures';

/**
 * An Aurora Serverless v2 cluster paused at zero capacity answers DatabaseResumingException
 * while it wakes. The client retries, but only for as long as the invocation has time left:
 * past that, an API request answers 503 with Retry-After, and a worker or a workflow step
 * fails, all before Lambda's timeout would cut them off.
 */
const api = useApi();

// Each case gets an emulator of its own in front of the file's database, so pausing it
// touches nothing else.
let cluster: DataApiEmulator;
beforeEach(async () => {
  cluster = await startDataApiEmulator({ postgresUrl: inject('postgresAdminUrl') });
  vi.stubEnv('AWS_ENDPOINT_URL_RDS_DATA', cluster.endpoint);
  await closeDb();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await closeDb();
  await cluster.close();
});

/** The event API Gateway (HTTP API, JWT authorizer) hands GET /api/projects/{id}. */
function getProjectEvent(caller: { id: string; email: string }, projectId: string): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'GET /api/projects/{id}',
    rawPath: `/api/projects/${projectId}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { id: projectId },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'test',
      http: { method: 'GET', path: `/api/projects/${projectId}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: 'GET /api/projects/{id}',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: { sub: caller.id, email: caller.email, email_verified: 'true', iat: String(Math.floor(now.getTime() / 1000)), 'cognito:groups': '[admin]' }, scopes: [] },
      },
    },
  };
}

const seconds = (since: number) => (Date.now() - since) / 1000;

describe('a request while the cluster resumes', () => {
  it('waits for it and succeeds when the resume fits in its time', async () => {
    // Prepare: the API function's 29 s, a cluster that takes 2 s to resume
    const admin = newUser('admin');
    await cluster.pause({ resumeMs: 2_000 });
    const started = Date.now();

    // Act
    const response = await api.post('/api/projects', { name: 'Woken up' }, { as: admin });

    // Assess
    expect(response.status).toBe(201);
    expect(seconds(started)).toBeGreaterThanOrEqual(2);
    expect(cluster.clusterState).toBe('available');
  });

  it('answers 503 with Retry-After before its function times out when the resume does not fit', async () => {
    // Prepare: a project, then a function with 5 s left and a cluster that needs a minute
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await cluster.pause({ resumeMs: 60_000 });
    const started = Date.now();

    // Act
    const response = await getProject(getProjectEvent(admin, projectId), lambdaContext({ functionName: 'get-project', timeoutSeconds: 5 }));

    // Assess
    expect(seconds(started)).toBeLessThan(5);
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': expect.stringMatching(/^[1-9]\d*$/) });
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      type: '/problems/temporarily-unavailable',
      status: 503,
      detail: expect.stringMatching(/resuming/),
      retry_after_seconds: Number(response.headers?.['retry-after']),
    });
  });
});

describe('a worker or a workflow step while the cluster resumes past its time', () => {
  it('a worker reports the message failed, for SQS to deliver it again', async () => {
    await cluster.pause({ resumeMs: 60_000 });
    const messageId = randomUUID();
    const event: SQSEvent = {
      Records: [
        {
          messageId,
          receiptHandle: 'r',
          body: JSON.stringify({ redemption_id: randomUUID() }),
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'test', ApproximateFirstReceiveTimestamp: String(Date.now()) },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:redemption',
          awsRegion: 'us-east-1',
        },
      ],
    };
    const started = Date.now();

    const result = await planRedemption(event, lambdaContext({ functionName: 'plan-redemption', timeoutSeconds: 4 }));

    expect(seconds(started)).toBeLessThan(4);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: messageId }] });
  });

  it('a workflow step fails, for the state machine to retry it', async () => {
    await cluster.pause({ resumeMs: 60_000 });
    const started = Date.now();

    const step = validateRedemption({ redemption_id: randomUUID() }, lambdaContext({ functionName: 'validate', timeoutSeconds: 4 }));

    await expect(step).rejects.toThrow(TemporarilyUnavailableError);
    expect(seconds(started)).toBeLessThan(4);
  });
});

describe('a transaction while the cluster resumes past the invocation’s time', () => {
  const shortInvocation = { getRemainingTimeInMillis: () => 3_000 };

  it('fails with the unreachable BeginTransaction’s error, not with a rollback of nothing', async () => {
    await cluster.pause({ resumeMs: 60_000 });

    const transaction = runInInvocation(shortInvocation, () => getDb().transaction().execute(async (trx) => sql`SELECT 1`.execute(trx)));

    await expect(transaction).rejects.toThrow(TemporarilyUnavailableError);
  });

  it('keeps the error that ended it when its rollback cannot reach the cluster', async () => {
    const warned = vi.spyOn(logger, 'warn');

    const transaction = runInInvocation(shortInvocation, () =>
      getDb().transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await cluster.pause({ resumeMs: 60_000 });
        throw new RuleViolationError('refused by the use case');
      }),
    );

    await expect(transaction).rejects.toThrow(RuleViolationError);
    expect(warned).toHaveBeenCalledWith(expect.stringMatching(/^Rollback failed/), expect.objectContaining({ error: expect.stringMatching(/resuming/) }));
  });
});
