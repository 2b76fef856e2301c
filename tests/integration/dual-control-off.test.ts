import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { navProposals } from '../../shared/nav/nav-proposals';
import { recordNavBody } from '../../shared/nav/schemas';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, registerUser } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { auditRows } from '../support/treasury-api';
import { untilAwaitingApproval } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

// What DUAL_CONTROL=off gives up (README "Dual control"): one admin does it all, at once.
process.env.DUAL_CONTROL = 'off';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

describe('with dual control off', () => {
  it("runs the README's treasury walkthrough with one admin: every write at once, the same admin approves the buyback", async () => {
    // Prepare
    const admin = newUser('admin');
    const lp = newUser('lp');
    await registerUser(api, admin, lp);
    const projectId = await createProject(api, admin);
    const post = (path: string, body: unknown, as: TestUser = admin) => api.post(path, body, { as });

    // Act: the walkthrough's requests, in its order
    const wallet = await post('/api/wallets', { address: '0xpool', wallet_type: 'treasury', min_reserve_threshold: '500' });
    const inflow = await post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000.10' });
    const tooMuch = await post('/api/treasury/transactions', { type: 'buyback', amount_ngnts: '600', source_wallet: '0xpool' });
    const nav = await post(`/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const issue = await post(`/api/projects/${projectId}/lp-tokens`, { kind: 'issue', holder_id: lp.id, amount: '1000', effective_at: '2026-01-01T00:00:00Z' });
    const redemption = await post('/api/redemptions', { project_id: projectId, tokens_amount: '200' }, lp);
    await untilAwaitingApproval(queues, redemption.body.id);
    const approval = await post(`/api/redemptions/${redemption.body.id}/approve`, undefined);
    await workflow.settled();

    // Assess
    expect([wallet.status, inflow.status, tooMuch.status, nav.status, issue.status, approval.status]).toEqual([201, 201, 422, 201, 201, 200]);
    expect(tooMuch.body.shortfall).toBe('99.90');
    expect((await api.get(`/api/redemptions/${redemption.body.id}`, { as: lp })).body.status).toBe('completed');
    expect((await api.get('/api/treasury/balance', { as: admin })).body.balance).toBe('750.10');
    expect((await api.get(`/api/projects/${projectId}/holders`, { as: admin })).body.items[0].balance).toBe('800.0000000');
    // Direct writes are audited as before: by the admin, with no proposal
    const [navAudit] = await auditRows('nav.record');
    expect(navAudit).toMatchObject({ admin_id: admin.id, target: { project_id: projectId, nav_entry_id: nav.body.id } });
    expect(navAudit?.details).not.toHaveProperty('proposal_id');
    expect((await api.get('/api/proposals', { as: admin })).body.items).toEqual([]);
  });

  it('still lets another admin decide a proposal made while it was on', async () => {
    // Prepare: a NAV proposed while dual control was on
    const maker = newUser('admin', 'maker');
    const checker = newUser('admin', 'checker');
    const projectId = await createProject(api, maker);
    await api.get('/api/wallets', { as: checker });
    const body = recordNavBody.parse({ nav_per_token: '1.25', source: 'audited' });
    const proposal = await navProposals.propose(getDb(), maker, projectId, body);

    // Act
    const byMaker = await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: maker });
    const byChecker = await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: checker });

    // Assess
    expect(byMaker.status).toBe(403);
    expect(byChecker.status).toBe(200);
    expect((await api.get(`/api/projects/${projectId}/nav/latest`, { as: maker })).body.nav_per_token).toBe('1.25000000');
  });
});
