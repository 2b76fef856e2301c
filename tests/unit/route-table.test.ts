import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as getHealth } from '../../functions/health/get-health';
import { routes } from '../../functions/routes';
import type { RouteDefinition } from '../../shared/http/route';

// On AWS a function gets only the environment its `uses` declare (infra/resource-bindings.ts).
const signedInRoutes = (Object.entries(routes) as [string, RouteDefinition][]).filter(([, route]) => route.access !== 'public');

describe('the route table', () => {
  it.each(signedInRoutes)('%s declares the database, where its caller is provisioned', (_name, route) => {
    expect(route.uses).toContain('database');
  });

  it('serves the public health check without any database configuration', async () => {
    const event = {
      rawPath: '/api/health',
      routeKey: 'GET /api/health',
      headers: {},
      requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1', userAgent: 'test' } },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const context = { functionName: 'get-health', awsRequestId: 'r1' } as Context;

    const response = await getHealth(event, context);

    expect(process.env.DATABASE_URL ?? process.env.DB_CLUSTER_ARN).toBeUndefined();
    expect(response).toMatchObject({ statusCode: 200, body: JSON.stringify({ status: 'ok' }) });
  });
});
