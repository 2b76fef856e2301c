import { describe, expect, it } from 'vitest';
import { type RouteName, routes } from '../../functions/routes';
import { newUser, type TestUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, seedHolders } from '../support/fixtures';
import { CALLERS, only, type MatrixEntry, type Scenario, signedIn } from '../support/authorization';
import { expectGatewayAnswer } from '../support/gateway-answers';
import { proposalMatrix } from '../support/authorization-proposals';
import { redemptionMatrix } from '../support/authorization-redemptions';
import { treasuryMatrix } from '../support/authorization-treasury';
import { useQueues } from '../support/queues';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

/** Expected status per caller, with the valid request built for the route. A route without a row fails. */
const matrix: Record<RouteName, MatrixEntry> = {
  ...treasuryMatrix(api),
  ...redemptionMatrix(api, queues),
  ...proposalMatrix(api),
  getHealth: { expect: { anonymous: 200, lp: 200, otherLp: 200, admin: 200 }, request: async () => ({ path: '/api/health' }) },
  getOpenApiDocument: { expect: { anonymous: 200, lp: 200, otherLp: 200, admin: 200 }, request: async () => ({ path: '/api/openapi.json' }) },
  getApiReference: { expect: { anonymous: 200, lp: 200, otherLp: 200, admin: 200 }, request: async () => ({ path: '/api/docs' }) },
  getApiReferenceAsset: {
    expect: { anonymous: 200, lp: 200, otherLp: 200, admin: 200 },
    request: async () => ({ path: '/api/docs/swagger-ui.css' }),
  },
  verifyDatabase: { expect: only(200), request: async () => ({ path: '/api/setup/verify-database' }) },
  listDomainEvents: { expect: only(200), request: async () => ({ path: '/api/events?type=withdrawal.requested' }) },
  createUser: {
    expect: only(201),
    request: async () => ({ path: '/api/users', body: { id: crypto.randomUUID(), email: `${crypto.randomUUID()}@example.com`, role: 'lp' } }),
  },
  listUsers: { expect: only(200), request: async (s) => ({ path: `/api/users?role=lp&email=${encodeURIComponent(s.lp.email)}` }) },
  setUserEmail: {
    expect: only(200),
    request: async (s) => ({ path: `/api/users/${s.lp.id}`, body: { email: `${crypto.randomUUID()}@example.com` } }),
  },
  createProject: { expect: only(201), request: async () => ({ path: '/api/projects', body: { name: 'Wind' } }) },
  listProjects: { expect: signedIn(200), request: async () => ({ path: '/api/projects' }) },
  getProject: { expect: signedIn(200), request: async (s) => ({ path: `/api/projects/${s.projectId}` }) },
  recordLpTokenMovement: {
    expect: only(201),
    request: async (s) => ({ path: `/api/projects/${s.projectId}/lp-tokens`, body: { kind: 'issue', holder_id: s.lp.id, amount: '10' } }),
  },
  listHolders: { expect: only(200), request: async (s) => ({ path: `/api/projects/${s.projectId}/holders` }) },
  createDistribution: {
    expect: only(201),
    request: async (s) => ({
      path: '/api/distributions',
      body: { project_id: s.projectId, event_type: 'exit', title: 'Exit', total_amount: '5', distribution_date: '2026-03-31T00:00:00Z' },
    }),
  },
  calculateDistribution: {
    expect: only(202),
    request: async (s) => ({ path: `/api/distributions/${await createDistribution(api, s.admin, s.projectId)}/calculate` }),
  },
  getDistribution: { expect: signedIn(200), request: async (s) => ({ path: `/api/distributions/${await createDistribution(api, s.admin, s.projectId)}` }) },
  listProjectDistributions: { expect: signedIn(200), request: async (s) => ({ path: `/api/distributions/project/${s.projectId}` }) },
  listDistributionAllocations: { expect: signedIn(200), request: async (s) => ({ path: `/api/distributions/${await activeEvent(s)}/allocations` }) },
  exportDistributionAllocations: { expect: only(200), request: async (s) => ({ path: `/api/distributions/${await activeEvent(s)}/allocations.csv` }) },
  listLpAllocations: {
    expect: { anonymous: 401, lp: 200, otherLp: 403, admin: 200 },
    request: async (s) => ({ path: `/api/distributions/lp/${s.lp.id}/allocations` }),
  },
  cancelDistribution: {
    expect: only(200),
    request: async (s) => ({ path: `/api/distributions/${await createDistribution(api, s.admin, s.projectId)}`, body: { cancellation_reason: 'test' } }),
  },
  activateDistribution: { expect: only(200), request: async (s) => ({ path: `/api/distributions/${await calculatedEvent(s)}/activate` }) },
  completeDistribution: {
    expect: only(200),
    request: async (s) => ({ path: `/api/distributions/${await activeEvent(s)}/complete`, body: { reason: 'test' } }),
  },
  getProjectDistributionStats: { expect: signedIn(200), request: async (s) => ({ path: `/api/distributions/project/${s.projectId}/stats` }) },
  listDistributionActivity: { expect: only(200), request: async (s) => ({ path: `/api/distributions/${await activeEvent(s)}/activity` }) },
  listProjectDistributionActivity: { expect: only(200), request: async (s) => ({ path: `/api/distributions/project/${s.projectId}/activity` }) },
  listRecentDistributionActivity: { expect: only(200), request: async () => ({ path: '/api/distributions/activity/recent' }) },
  requestWithdrawal: {
    // Only the owning LP; another LP is told the allocation does not exist.
    expect: { anonymous: 401, lp: 201, otherLp: 404, admin: 403 },
    request: async (s) => ({ path: `/api/distributions/allocations/${await ownAllocation(s)}/withdrawals`, body: { amount: '1' } }),
  },
  approveWithdrawal: { expect: only(200), request: async (s) => ({ path: `/api/withdrawals/${await withdrawal(s, 'pending')}/approve` }) },
  rejectWithdrawal: { expect: only(200), request: async (s) => ({ path: `/api/withdrawals/${await withdrawal(s, 'pending')}/reject`, body: { reason: 'test' } }) },
  recordWithdrawalPayment: {
    expect: only(200),
    request: async (s) => ({ path: `/api/withdrawals/${await withdrawal(s, 'approved')}/payments`, body: { payment_reference: 'r' } }),
  },
  listWithdrawals: { expect: signedIn(200), request: async () => ({ path: '/api/withdrawals' }) },
};

async function calculatedEvent(s: Scenario): Promise<string> {
  const eventId = await createDistribution(api, s.admin, s.projectId);
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: s.admin });
  await queues.drainCalculations();
  return eventId;
}
async function activeEvent(s: Scenario): Promise<string> {
  const eventId = await calculatedEvent(s);
  await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: s.admin });
  return eventId;
}
async function ownAllocation(s: Scenario): Promise<string> {
  const [allocation] = await allAllocations(api, s.lp, await activeEvent(s));
  return allocation?.id as string;
}
async function withdrawal(s: Scenario, status: 'pending' | 'approved'): Promise<string> {
  const response = await api.post(`/api/distributions/allocations/${await ownAllocation(s)}/withdrawals`, { amount: '1' }, { as: s.lp });
  if (status === 'approved') await api.post(`/api/withdrawals/${response.body.id}/approve`, undefined, { as: s.admin });
  return response.body.id as string;
}

describe('authorization', () => {
  it('has expectations for every route in the table', () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(routes).sort());
  });

  it.each(Object.keys(routes) as RouteName[])('%s answers each caller as expected', async (name) => {
    // Prepare: an LP holding tokens in a project; the route's own fixture on top
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    const scenario: Scenario = { admin, lp, otherLp: newUser('lp'), projectId };
    const { request, expect: expected } = matrix[name];
    const { path, body } = await request(scenario);

    // Act / Assess: callers in an order where only the last allowed one may change state
    for (const who of CALLERS) {
      const as = who === 'anonymous' ? undefined : scenario[who];
      const response = await api.request(routes[name].method, path, { as, body });
      expect(response.status, `${who}: ${JSON.stringify(response.body)}`).toBe(expected[who]);
      // Without a token the gateway's JWT authorizer refuses the call before the function runs.
      if (who === 'anonymous' && response.status === 401) expectGatewayAnswer(response, 401, who);
      else if (response.status >= 400) {
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.body.status).toBe(response.status);
      }
    }
    await workflow.settled();
  });
  // Refused tokens and unknown routes, which the gateway answers by itself: gateway-answers.test.ts.
});
