import { sql } from 'kysely';
import type { redemptionRoutes } from '../../functions/routes/redemptions';
import { getDb } from '../../shared/db/client';
import type { Api } from './api';
import { type MatrixEntry, only, type Scenario, signedIn } from './authorization';
import type { useQueues } from './queues';
import { fundedWallet, setNav } from './treasury-fixtures';

type Queues = ReturnType<typeof useQueues>;

/** Authorization expectations for the redemption routes (functions/routes/redemptions.ts). */
export function redemptionMatrix(api: Api, queues: Queues): Record<keyof typeof redemptionRoutes, MatrixEntry> {
  const requestBy = async (s: Scenario) => {
    await setNav(s.projectId, '2');
    return { path: '/api/redemptions', body: { project_id: s.projectId, tokens_amount: '1' } };
  };
  /** A request by the scenario's LP, planned and waiting for a decision. */
  const awaitingApproval = async (s: Scenario): Promise<string> => {
    await setNav(s.projectId, '2');
    await fundedWallet({ address: `pool-${s.projectId}`, role: 'treasury_pool', balance: '100.00' });
    const response = await api.post('/api/redemptions', { project_id: s.projectId, tokens_amount: '1' }, { as: s.lp });
    await queues.drain('planRedemption');
    for (let i = 0; i < 100; i++) {
      const { rows } = await sql`SELECT 1 FROM redemption_requests WHERE id = ${response.body.id}::uuid AND status = 'awaiting_approval'`.execute(getDb());
      if (rows.length === 1) return response.body.id as string;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error('the redemption never reached the approval step');
  };
  return {
    // Another LP holds no tokens of the project: allowed to ask, refused on the rule.
    requestRedemption: { expect: { anonymous: 401, otherLp: 422, lp: 202, admin: 403 }, request: requestBy },
    getRedemption: {
      expect: { anonymous: 401, otherLp: 404, lp: 200, admin: 200 },
      request: async (s) => {
        const { path, body } = await requestBy(s);
        const created = await api.post(path, body, { as: s.lp });
        return { path: `/api/redemptions/${created.body.id}` };
      },
    },
    listRedemptions: { expect: signedIn(200), request: async () => ({ path: '/api/redemptions' }) },
    approveRedemption: { expect: only(200), request: async (s) => ({ path: `/api/redemptions/${await awaitingApproval(s)}/approve` }) },
    rejectRedemption: {
      expect: only(200),
      request: async (s) => ({ path: `/api/redemptions/${await awaitingApproval(s)}/reject`, body: { reason: 'test' } }),
    },
  };
}
