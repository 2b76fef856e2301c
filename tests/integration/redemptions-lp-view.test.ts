import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { insertTreasuryTransaction } from '../../shared/treasury/accounts.repository';
import { type TestUser, useApi } from '../support/api';
import { redeemableHolding } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { useWorkflow } from '../support/workflow';

/**
 * What an LP reads of their own redemption: its status and, once it ended unpaid, a reason as a
 * code and plain words. The treasury's side (wallets, per-wallet amounts, shortfalls, errors) is
 * for admins.
 */
const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });

afterEach(async () => {
  await sql`DROP TRIGGER IF EXISTS fault_permanent ON redemption_requests`.execute(getDb());
  await sql`DROP FUNCTION IF EXISTS fault_permanent()`.execute(getDb());
});

const LP_VIEW = [
  'approval_expires_at',
  'created_at',
  'decided_at',
  'id',
  'nav_snapshot',
  'processed_at',
  'project_id',
  'reason',
  'redemption_value_ngnts',
  'status',
  'tokens_amount',
  'updated_at',
  'user_id',
];

/** The LP's view: its fields only, and not one wallet address anywhere in it. */
function expectLpView(view: Record<string, unknown>, wallets: string[]) {
  expect(Object.keys(view).sort()).toEqual(LP_VIEW);
  for (const wallet of wallets) expect(JSON.stringify(view)).not.toContain(wallet);
}

const read = async (id: string, as: TestUser) => (await api.get(`/api/redemptions/${id}`, { as })).body;
const listed = async (id: string, as: TestUser) =>
  ((await api.get('/api/redemptions', { as })).body.items as { id: string }[]).find((item) => item.id === id) as Record<string, unknown>;

/** An LP's request for `tokens` (at NAV 2), planned and waiting for a decision. */
async function awaitingApproval(holding: Awaited<ReturnType<typeof redeemableHolding>>, tokens = '10') {
  const requested = await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: tokens }, { as: holding.lp });
  await queues.drain('planRedemption');
  for (let i = 0; (await read(requested.body.id, holding.admin)).status !== 'awaiting_approval'; i++) {
    if (i > 100) throw new Error('never reached the approval step');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return requested.body.id as string;
}

describe('an LP reading their redemption', () => {
  it('sees its status and amounts, never the funding plan or the payments: those are the admin’s', async () => {
    // Prepare
    const holding = await redeemableHolding(api);
    const id = await awaitingApproval(holding);

    // Act
    const waiting = await read(id, holding.lp);
    await api.post(`/api/redemptions/${id}/approve`, undefined, { as: holding.admin });
    await workflow.settled();
    const completed = await read(id, holding.lp);
    const inList = await listed(id, holding.lp);
    const admin = await read(id, holding.admin);

    // Assess
    expectLpView(waiting, [holding.pool]);
    expectLpView(completed, [holding.pool]);
    expectLpView(inList, [holding.pool]);
    expect(completed).toMatchObject({ status: 'completed', redemption_value_ngnts: '20.00', reason: null });
    expect(admin).toMatchObject({
      status: 'completed',
      decided_by: holding.admin.id,
      funding_plan: { sources: [{ wallet: holding.pool, role: 'treasury_pool', amount_ngnts: '20.00' }] },
      tx_hashes: [expect.objectContaining({ wallet: holding.pool, amount_ngnts: '20.00' })],
    });
  });

  it('turned down for want of funds at planning sees a plain reason, not the shortfall', async () => {
    // Prepare: 20.00 asked of a pool that can spend 15.00
    const holding = await redeemableHolding(api, { pool: '15.00' });

    // Act
    const requested = await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: '10' }, { as: holding.lp });
    await queues.drain('planRedemption');
    const lp = await read(requested.body.id, holding.lp);
    const admin = await read(requested.body.id, holding.admin);

    // Assess
    expectLpView(lp, [holding.pool]);
    expect(lp).toMatchObject({ status: 'rejected', reason: { code: 'treasury_unavailable', message: expect.any(String) } });
    expect(lp.reason.message).not.toMatch(/\d/);
    expect(admin).toMatchObject({ reason: lp.reason, rejection_reason: expect.stringContaining('5.00 NGNTS short'), funding_plan: { shortfall_ngnts: '5.00' } });
  });

  it('turned down at execution sees a plain reason, though the step’s error names the wallet and the amounts', async () => {
    // Prepare: once approval waits, the pool is emptied behind the plan's back
    const holding = await redeemableHolding(api);
    const id = await awaitingApproval(holding);
    await insertTreasuryTransaction(getDb(), { type: 'buyback', amount: new Decimal('990.00'), sourceWallet: holding.pool, destinationWallet: null });

    // Act
    await api.post(`/api/redemptions/${id}/approve`, undefined, { as: holding.admin });
    await workflow.settled();
    const lp = await read(id, holding.lp);
    const admin = await read(id, holding.admin);

    // Assess
    expectLpView(lp, [holding.pool]);
    expect(lp).toMatchObject({ status: 'rejected', reason: { code: 'treasury_unavailable' } });
    expect(admin.rejection_reason).toContain(holding.pool);
  });

  it('rejected by an admin sees that it was rejected; the admin’s words stay with the admins', async () => {
    const holding = await redeemableHolding(api);
    const id = await awaitingApproval(holding);

    const rejected = await api.post(`/api/redemptions/${id}/reject`, { reason: `Pool ${holding.pool} is reserved for Q3` }, { as: holding.admin });
    await workflow.settled();
    const lp = await read(id, holding.lp);

    expectLpView(lp, [holding.pool]);
    expect(lp).toMatchObject({ status: 'rejected', reason: { code: 'rejected' } });
    expect(rejected.body).toMatchObject({ reason: lp.reason, rejection_reason: `Pool ${holding.pool} is reserved for Q3` });
  });

  it('that failed on an error sees a plain reason, not the error', async () => {
    // Prepare: storing the plan violates a constraint, every time
    const holding = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: '10' }, { as: holding.lp });
    await sql`CREATE FUNCTION fault_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected permanent fault' USING ERRCODE = '23514'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_permanent BEFORE UPDATE ON redemption_requests
      FOR EACH ROW WHEN (NEW.execution_name IS NOT NULL AND OLD.execution_name IS NULL) EXECUTE FUNCTION fault_permanent()`.execute(getDb());

    // Act
    await queues.drain('planRedemption');
    const lp = await read(requested.body.id, holding.lp);
    const admin = await read(requested.body.id, holding.admin);

    // Assess
    expectLpView(lp, [holding.pool]);
    expect(lp).toMatchObject({ status: 'failed', reason: { code: 'processing_failed' } });
    expect(JSON.stringify(lp)).not.toContain('23514');
    expect(admin.failure_reason).toContain('23514');
  });
});

describe('an LP refused a redemption', () => {
  it('is told about their own tokens only', async () => {
    const holding = await redeemableHolding(api);

    const refused = await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: '101' }, { as: holding.lp });

    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body).sort()).toEqual(['available', 'balance', 'detail', 'in_open_requests', 'instance', 'status', 'title', 'type']);
    expect(refused.body).toMatchObject({ balance: '100.0000000', in_open_requests: '0.0000000', available: '100.0000000' });
  });
});
