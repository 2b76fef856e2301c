import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, rowCounts, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { balanceOf, fundedWallet, setNav } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });

/** An LP holding 100 tokens of a project at NAV 12.34567891, and a pool of 10,000.00 (reserve 1,000.00). */
async function scenario() {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [lp] = (await seedHolders(api, admin, projectId, ['100'])) as [TestUser];
  await setNav(projectId, '12.34567891');
  const pool = await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '10000.00', minReserve: '1000.00' });
  return { admin, lp, projectId, pool };
}

const redeem = (lp: TestUser, projectId: string, tokens: string) =>
  api.post('/api/redemptions', { project_id: projectId, tokens_amount: tokens }, { as: lp });

/** Plans every queued request and lets the workflows reach the approval step. */
async function planAndWait() {
  await queues.drain('planRedemption');
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql`SELECT 1 FROM redemption_requests WHERE status = 'pending' AND execution_name IS NOT NULL`.execute(getDb());
    if (rows.length === 0) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('workflows did not reach the approval step');
}

async function holding(projectId: string, holderId: string): Promise<string> {
  const { rows } = await sql<{ balance: string }>`SELECT lp_tokens_allocated::text AS balance FROM lp_token_balances
    WHERE project_id = ${projectId}::uuid AND lp_token_holder_id = ${holderId}::uuid`.execute(getDb());
  return rows[0]?.balance ?? '0';
}

describe('a redemption', () => {
  it('is requested, planned, approved by a human and executed: tokens burned, the pool pays', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await scenario();

    // Act
    const requested = await redeem(lp, projectId, '10.5');
    await planAndWait();
    const waiting = await api.get(`/api/redemptions/${requested.body.id}`, { as: admin });
    const approved = await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await workflow.settled();
    const done = await api.get(`/api/redemptions/${requested.body.id}`, { as: admin });

    // Assess: 10.5 × 12.34567891 = 129.629628555, rounded down to the kobo
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ status: 'pending', tokens_amount: '10.5000000', nav_snapshot: '12.34567891', redemption_value_ngnts: '129.62' });
    expect(waiting.body.status).toBe('awaiting_approval');
    expect(waiting.body.funding_plan).toEqual({ value_ngnts: '129.62', sources: [{ wallet: pool, role: 'treasury_pool', amount_ngnts: '129.62' }], shortfall_ngnts: '0.00' });
    expect(waiting.body).not.toHaveProperty('task_token');
    expect(approved.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', decided_by: admin.id });
    expect(done.body.processed_at).not.toBeNull();
    expect(done.body.tx_hashes).toEqual([{ treasury_transaction_id: expect.any(String), wallet: pool, amount_ngnts: '129.62' }]);
    expect(await holding(projectId, lp.id)).toBe('89.5000000');
    expect(await balanceOf(pool)).toBe('9870.38');
    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_admin_actions WHERE action LIKE 'redemption.%' ORDER BY created_at`.execute(getDb());
    expect(rows.map((r) => r.action)).toEqual(['redemption.approve', 'redemption.execute']);
    expect(workflow.describe(`redemption-${requested.body.id}`)?.status).toBe('SUCCEEDED');
  });

  it('is rejected by an admin with the reason, and nothing moves', async () => {
    const { admin, lp, projectId, pool } = await scenario();
    const requested = await redeem(lp, projectId, '1');
    await planAndWait();

    const rejected = await api.post(`/api/redemptions/${requested.body.id}/reject`, { reason: 'KYC incomplete' }, { as: admin });
    await workflow.settled();

    expect(rejected.body).toMatchObject({ status: 'rejected', reason: { code: 'rejected' }, rejection_reason: 'KYC incomplete' });
    expect((await api.get(`/api/redemptions/${requested.body.id}`, { as: lp })).body.status).toBe('rejected');
    expect(await holding(projectId, lp.id)).toBe('100.0000000');
    expect(await balanceOf(pool)).toBe('10000.00');
  });

  it('cannot be decided twice', async () => {
    const { admin, lp, projectId } = await scenario();
    const requested = await redeem(lp, projectId, '1');
    await planAndWait();

    const first = await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    const second = await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    const reject = await api.post(`/api/redemptions/${requested.body.id}/reject`, { reason: 'late' }, { as: admin });
    await workflow.settled();

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(reject.status).toBe(409);
    expect(await holding(projectId, lp.id)).toBe('99.0000000');
  });

  it('is rejected with the shortfall when minimum reserves leave too little', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['100'])) as [TestUser];
    await setNav(projectId, '2');
    const pool = await fundedWallet({ address: 'small-pool', role: 'treasury_pool', balance: '100.00', minReserve: '90.00' });
    const liquidity = await fundedWallet({ address: 'project-liquidity', role: 'liquidity_pool', balance: '5.00', projectId });

    const requested = await redeem(lp, projectId, '10');
    await queues.drain('planRedemption');
    const read = await api.get(`/api/redemptions/${requested.body.id}`, { as: admin });

    expect(read.body).toMatchObject({ status: 'rejected', reason: { code: 'treasury_unavailable' } });
    expect(read.body.rejection_reason).toContain('5.00 NGNTS short');
    expect(read.body.funding_plan.sources).toEqual([
      { wallet: pool, role: 'treasury_pool', amount_ngnts: '10.00' },
      { wallet: liquidity, role: 'liquidity_pool', amount_ngnts: '5.00' },
    ]);
    expect(await balanceOf(pool)).toBe('100.00');
  });

  it('draws on project liquidity when the pool is at its reserve', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['100'])) as [TestUser];
    await setNav(projectId, '1');
    const pool = await fundedWallet({ address: 'pool-at-reserve', role: 'treasury_pool', balance: '50.00', minReserve: '40.00' });
    const liquidity = await fundedWallet({ address: 'liquidity', role: 'liquidity_pool', balance: '100.00', projectId });

    const requested = await redeem(lp, projectId, '25');
    await planAndWait();
    await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await workflow.settled();

    expect(await balanceOf(pool)).toBe('40.00');
    expect(await balanceOf(liquidity)).toBe('85.00');
  });

  it('never lets concurrent requests together exceed the balance', async () => {
    const { lp, projectId } = await scenario();
    const responses = await Promise.all(Array.from({ length: 20 }, () => redeem(lp, projectId, '10')));
    expect(responses.filter((r) => r.status === 202)).toHaveLength(10);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(10);
    expect(responses.find((r) => r.status === 422)?.body).toMatchObject({ available: '0.0000000', in_open_requests: '100.0000000' });
  });

  it.each([
    { case: 'more tokens than held', body: (p: string) => ({ project_id: p, tokens_amount: '100.0000001' }), status: 422 },
    { case: 'a project without a NAV', body: () => ({ project_id: 'none', tokens_amount: '1' }), status: 400 },
    { case: 'tokens as a number', body: (p: string) => ({ project_id: p, tokens_amount: 1 }), status: 400 },
    { case: 'over-scale tokens', body: (p: string) => ({ project_id: p, tokens_amount: '1.123456789' }), status: 400 },
  ])('refuses $case, writing nothing', async ({ body, status }) => {
    const { lp, projectId } = await scenario();
    const before = await rowCounts();
    const response = await api.post('/api/redemptions', body(projectId), { as: lp });
    expect(response.status).toBe(status);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a project with no NAV yet (422)', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['1'])) as [TestUser];
    expect((await redeem(lp, projectId, '1')).status).toBe(422);
  });

  it('is visible to its owner and admins only, and listed accordingly', async () => {
    const { admin, lp, projectId } = await scenario();
    const requested = await redeem(lp, projectId, '1');
    const other = newUser('lp');

    expect((await api.get(`/api/redemptions/${requested.body.id}`, { as: other })).status).toBe(404);
    expect((await api.get('/api/redemptions', { as: other })).body.items).toEqual([]);
    expect((await api.get('/api/redemptions', { as: lp })).body.items).toHaveLength(1);
    expect((await api.get('/api/redemptions?status=pending', { as: admin })).body.items).toHaveLength(1);
  });
});
