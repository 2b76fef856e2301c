import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { applyMovement } from '../../shared/lp-tokens/record-movement';
import { recordNav as recordNavDirectly } from '../../shared/nav/record-nav';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, moveTokens, registerUser } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { registerPool } from '../support/treasury-api';
import { fundedWallet } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

// Dual control on for this file: each function's execution environment starts with it.
process.env.DUAL_CONTROL = 'on';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

const YESTERDAY = () => new Date(Date.now() - 24 * 3600 * 1000);

/** Tokens issued to `lp` and recorded by `admin` (as before dual control, or while it was off). */
async function tokensIssuedBy(admin: TestUser, projectId: string, lp: TestUser, amount: string) {
  await getDb().transaction().execute((trx) =>
    applyMovement(trx, admin.id, projectId, { kind: 'issue', holder_id: lp.id, amount: new Decimal(amount), effective_at: YESTERDAY() }),
  );
}

/** Any call provisions the caller: their users row exists from then on. */
const signIn = (admin: TestUser) => api.get('/api/wallets', { as: admin });

/** A redemption of `lp`'s tokens, planned and waiting for an admin's decision. */
async function redemptionAwaitingApproval(lp: TestUser, projectId: string, tokens: string): Promise<string> {
  const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: tokens }, { as: lp });
  if (requested.status !== 202) throw new Error(`request redemption: ${requested.status} ${JSON.stringify(requested.body)}`);
  await queues.drain('planRedemption');
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql`SELECT 1 FROM redemption_requests WHERE id = ${requested.body.id}::uuid AND status = 'awaiting_approval'`.execute(getDb());
    if (rows.length === 1) return requested.body.id as string;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the redemption never reached the approval step');
}

describe('the finding (issue 11, item 7): one admin alone', () => {
  it('can neither credit the pool without a cashflow, nor issue tokens, nor set the NAV', async () => {
    // Prepare: a project, an LP, the pool
    const admin = newUser('admin');
    const lp = newUser('lp');
    await registerUser(api, admin, lp);
    const projectId = await createProject(api, admin);
    await registerPool(api, admin);

    // Act
    const inflow = await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000000.00' }, { as: admin });
    const issue = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: lp.id, amount: '1000' });
    const nav = await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1000', source: 'manual' }, { as: admin });

    // Assess: each waits for a second admin; nothing has taken effect
    expect([inflow.status, issue.status, nav.status]).toEqual([202, 202, 202]);
    expect((await api.get('/api/treasury/balance', { as: admin })).body.balance).toBe('0.00');
    expect((await api.get(`/api/projects/${projectId}/holders`, { as: admin })).body.items).toEqual([]);
    expect((await api.get(`/api/projects/${projectId}/nav/latest`, { as: admin })).status).toBe(404);
  });

  it.each([
    ['issued the LP their tokens', 'tokens'],
    ['set the NAV the buyback is valued at', 'nav'],
  ] as const)('cannot approve the buyback of an LP when they %s; another admin can', async (_case, stake) => {
    // Prepare: an LP holding 100 tokens at NAV 2; `maker` did one of the two, `other` the rest
    const maker = newUser('admin', 'maker');
    const other = newUser('admin', 'other');
    const independent = newUser('admin', 'independent');
    const lp = newUser('lp');
    const projectId = await createProject(api, other);
    await registerUser(api, other, lp);
    await signIn(maker);
    await tokensIssuedBy(stake === 'tokens' ? maker : other, projectId, lp, '100');
    await recordNavDirectly(getDb(), stake === 'nav' ? maker : other, projectId, { nav_per_token: new Decimal('2'), source: 'audited', effective_at: YESTERDAY() });
    await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '1000.00' });
    const redemptionId = await redemptionAwaitingApproval(lp, projectId, '10');

    // Act
    const byMaker = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: maker });
    const byIndependent = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: independent });
    await workflow.settled();

    // Assess
    expect(byMaker.status, JSON.stringify(byMaker.body)).toBe(403);
    expect(byMaker.body.type).toBe('/problems/forbidden');
    expect(byIndependent.status).toBe(200);
  });
});
