import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { routeFunction } from '../../local/lambda/functions';
import type { RouteDefinition } from '../../shared/http/route';
import { type Api, newUser, useApi } from '../support/api';
import { expectGatewayAnswer } from '../support/gateway-answers';

/**
 * What API Gateway's HTTP API answers by itself, before or instead of a route's function: the
 * local gateway answers with the same status, `{"message": …}` body and content type (the
 * sources are cited in local/gateway-answers.ts), never with the API's Problem Details.
 */

const MB = 1024 * 1024;

/** Whether the route's function has run: it has an execution environment once it has. */
const ran = (api: Api, route: RouteDefinition) => routeFunction(route).name in api.runtime.environmentCounts();

describe('the local gateway, as the HTTP API answers by itself', () => {
  const api = useApi();

  it.each([
    { case: 'a path no route has', method: 'GET', path: '/api/nothing/here' },
    { case: 'a method the path has no route for', method: 'DELETE', path: '/api/projects' },
    { case: 'a path outside the API', method: 'GET', path: '/' },
  ])('answers 404 Not Found for $case', async ({ method, path }) => {
    const response = await api.request(method, path, { as: newUser('admin') });

    expectGatewayAnswer(response, 404);
  });

  it('answers 401 Unauthorized without a token, asking for one, and runs nothing', async () => {
    const response = await api.get('/api/projects/00000000-0000-4000-8000-000000000000');

    expectGatewayAnswer(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(ran(api, routes.getProject)).toBe(false);
  });

  it('answers 401 Unauthorized for a refused token, saying it is invalid, and runs nothing', async () => {
    // Prepare
    const admin = newUser('admin');
    const expired = await api.identity.sign({ sub: admin.id, email: admin.email, groups: ['admin'] }, -60);
    const forged = (await api.tokenFor(admin)).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');

    for (const token of [expired, forged, 'not-a-jwt']) {
      // Act
      const response = await api.get('/api/setup/verify-database', { token });

      // Assess
      expectGatewayAnswer(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer scope="" error="invalid_token" error_description="[^"]+"$/);
    }
    expect(ran(api, routes.verifyDatabase)).toBe(false);
  });

  it("answers 413 Request Entity Too Large for a body over the HTTP API's 10 MB, and runs nothing", async () => {
    const admin = newUser('admin');

    const response = await api.request('POST', '/api/projects', { as: admin, rawBody: 'x'.repeat(10 * MB + 1), headers: { 'content-type': 'application/json' } });

    expectGatewayAnswer(response, 413);
    expect(ran(api, routes.createProject)).toBe(false);
  });

  it("answers 413 Request Entity Too Large for a body that makes the event larger than Lambda's 6 MB request, and runs nothing", async () => {
    const admin = newUser('admin');

    const response = await api.post('/api/projects', { name: 'x'.repeat(6 * MB) }, { as: admin });

    expectGatewayAnswer(response, 413);
    expect(ran(api, routes.createProject)).toBe(false);
  });

  it('hands a body that fits the event to the function, which answers for it', async () => {
    const admin = newUser('admin');

    const response = await api.post('/api/projects', { name: 'x'.repeat(6 * MB - 16_384) }, { as: admin });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(ran(api, routes.createProject)).toBe(true);
  });
});

describe('the local gateway with throttling, as the stage sets it for each route', () => {
  const api = useApi({ throttle: { rateLimit: 1, burstLimit: 2 } });

  it('answers 429 Too Many Requests past the burst of a route, while another route still has its own', async () => {
    // Act: three at once to one route, one to another
    const [health, other] = await Promise.all([
      Promise.all([api.get('/api/health'), api.get('/api/health'), api.get('/api/health')]),
      api.get('/api/openapi.json'),
    ]);

    // Assess
    const statuses = health.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    expectGatewayAnswer(health.find((response) => response.status === 429)!, 429);
    expect(other.status).toBe(200);
  });
});
