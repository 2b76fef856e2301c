import type { proposalRoutes } from '../../functions/routes/proposals';
import { getDb } from '../../shared/db/client';
import { navProposals } from '../../shared/nav/nav-proposals';
import { recordNavBody } from '../../shared/nav/schemas';
import { type Api, newUser, type TestUser } from './api';
import { type MatrixEntry, only, type Scenario } from './authorization';

/** Authorization expectations for the dual-control proposal routes (functions/routes/proposals.ts). */
export function proposalMatrix(api: Api): Record<keyof typeof proposalRoutes, MatrixEntry> {
  /** A pending NAV proposal of the scenario's project, by `proposer` (the scenario's admin, or another). */
  const pendingBy = async (s: Scenario, proposer: 'scenario admin' | 'another admin'): Promise<string> => {
    const admin: TestUser = proposer === 'scenario admin' ? s.admin : newUser('admin', 'proposer');
    await api.get('/api/wallets', { as: admin }); // provisions their users row
    const body = recordNavBody.parse({ nav_per_token: '1.25', source: 'audited' });
    return (await navProposals.propose(getDb(), admin, s.projectId, body)).id;
  };
  return {
    listProposals: { expect: only(200), request: async () => ({ path: '/api/proposals' }) },
    getProposal: { expect: only(200), request: async (s) => ({ path: `/api/proposals/${await pendingBy(s, 'another admin')}` }) },
    // Decided by an admin other than its proposer: the scenario's admin may.
    approveProposal: { expect: only(200), request: async (s) => ({ path: `/api/proposals/${await pendingBy(s, 'another admin')}/approve` }) },
    rejectProposal: {
      expect: only(200),
      request: async (s) => ({ path: `/api/proposals/${await pendingBy(s, 'another admin')}/reject`, body: { reason: 'test' } }),
    },
    // Withdrawn by its proposer, the scenario's admin.
    withdrawProposal: { expect: only(200), request: async (s) => ({ path: `/api/proposals/${await pendingBy(s, 'scenario admin')}/withdraw` }) },
  };
}
