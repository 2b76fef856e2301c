import { describe, expect, it } from 'vitest';
import { type RouteName, routes } from '../../functions/routes';
import { newUser, useApi } from '../support/api';
import { createProject, registerUser } from '../support/fixtures';

const api = useApi();

type Who = 'anonymous' | 'lp' | 'admin';
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

/**
 * Expected status for each caller on every route, with valid input. A route added to the table
 * without a row here fails the test below.
 */
const expectations: Record<RouteName, Record<Who, number>> = {
  getHealth: { anonymous: 200, lp: 200, admin: 200 },
  verifyDatabase: { anonymous: 401, lp: 403, admin: 200 },
  createUser: { anonymous: 401, lp: 403, admin: 201 },
  createProject: { anonymous: 401, lp: 403, admin: 201 },
  getProject: { anonymous: 401, lp: 200, admin: 200 },
  recordLpTokenMovement: { anonymous: 401, lp: 403, admin: 201 },
  listHolders: { anonymous: 401, lp: 403, admin: 200 },
};

/** A valid request for each route, built against fresh data. */
async function validRequest(route: RouteName) {
  const admin = newUser('admin');
  const holder = newUser('lp');
  await registerUser(api, admin, holder);
  const projectId = await createProject(api, admin);
  const requests: Record<RouteName, { path: string; body?: unknown }> = {
    getHealth: { path: '/api/health' },
    verifyDatabase: { path: '/api/setup/verify-database' },
    createUser: { path: '/api/users', body: { id: crypto.randomUUID(), email: `${crypto.randomUUID()}@example.com`, role: 'lp' } },
    createProject: { path: '/api/projects', body: { name: 'Wind' } },
    getProject: { path: `/api/projects/${projectId}` },
    recordLpTokenMovement: { path: `/api/projects/${projectId}/lp-tokens`, body: { kind: 'issue', holder_id: holder.id, amount: '10' } },
    listHolders: { path: `/api/projects/${projectId}/holders` },
  };
  return requests[route];
}

describe('authorization', () => {
  it('has expectations for every route in the table', () => {
    expect(Object.keys(expectations).sort()).toEqual(Object.keys(routes).sort());
  });

  const cases = (Object.keys(routes) as RouteName[]).flatMap((route) =>
    (['anonymous', 'lp', 'admin'] as const).map((who) => ({ route, who, status: expectations[route]?.[who] })),
  );

  it.each(cases)('$route as $who → $status', async ({ route, who, status }) => {
    // Prepare
    const { method } = routes[route];
    const { path, body } = await validRequest(route);
    const as = who === 'anonymous' ? undefined : newUser(who);

    // Act
    const response = await api.request(method, path, { as, body });

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    if (status >= 400) {
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.status).toBe(status);
    }
  });

  it('refuses an expired token, a token signed by someone else and a malformed one', async () => {
    const admin = newUser('admin');
    const expired = await api.identity.sign({ sub: admin.id, email: admin.email, groups: ['admin'] }, -60);
    const forged = (await api.tokenFor(admin)).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    for (const token of [expired, forged, 'not-a-jwt']) {
      const response = await api.get('/api/setup/verify-database', { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await api.get(`/api/nothing/${ZERO_UUID}`, { as: newUser('admin') });
    expect(response.status).toBe(404);
    expect(response.body.type).toBe('about:blank');
  });
});
