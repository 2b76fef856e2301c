import { describe, expect, it } from 'vitest';
import { until, useLocalStack } from '../support/local-stack';

const ADMIN = '11111111-1111-4111-8111-111111111111';
const LP = '22222222-2222-4222-8222-222222222222';
const stack = useLocalStack();

describe('npm start, killed with a redemption awaiting approval', () => {
  it('comes back on the same DATA_DIR with the approval still waiting: approved, then completed', { timeout: 90_000 }, async () => {
    // Prepare: the README's walkthrough, up to a redemption awaiting approval
    await stack.start();
    const admin = stack.client(await stack.token('admin', ADMIN, 'admin@example.com'));
    const lp = stack.client(await stack.token('lp', LP, 'lp@example.com'));
    expect((await admin.post('/api/users', { id: LP, email: 'lp@example.com', role: 'lp' })).status).toBe(201);
    const project = (await admin.post('/api/projects', { name: 'Lagos Solar' })).body.id as string;
    await admin.post(`/api/projects/${project}/lp-tokens`, { kind: 'issue', holder_id: LP, amount: '1000', effective_at: '2026-01-01T00:00:00Z' });
    await admin.post('/api/wallets', { address: '0xpool', wallet_type: 'treasury', min_reserve_threshold: '500' });
    await admin.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000.10' });
    await admin.post(`/api/projects/${project}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const requested = await lp.post('/api/redemptions', { project_id: project, tokens_amount: '200' });
    const id = requested.body.id as string;
    const waiting = await until(async () => {
      const read = await lp.get(`/api/redemptions/${id}`);
      return read.body.status === 'awaiting_approval' ? read.body : undefined;
    });

    // Act: kill -9, start again on the same DATA_DIR, approve
    await stack.kill();
    await stack.start();
    const approved = await admin.post(`/api/redemptions/${id}/approve`);
    const completed = await until(async () => {
      // The payments are the admins' to see (an LP reads the status).
      const read = await admin.get(`/api/redemptions/${id}`);
      return read.body.status === 'completed' ? read.body : undefined;
    });

    // Assess
    expect(requested.status).toBe(202);
    expect(waiting.redemption_value_ngnts).toBe('250.00');
    expect(approved).toMatchObject({ status: 200, body: { status: 'processing' } });
    expect(completed.tx_hashes).toEqual([expect.objectContaining({ wallet: '0xpool', amount_ngnts: '250.00' })]);
    expect((await admin.get(`/api/projects/${project}/holders`)).body.items).toEqual([expect.objectContaining({ balance: '800.0000000' })]);
    expect((await admin.get('/api/treasury/balance')).body.balance).toBe('750.10');
    expect(stack.output()).toContain('stopping the postmaster');
  });

  it('comes back after its whole process group was killed', { timeout: 60_000 }, async () => {
    // Prepare
    if (!stack.running()) await stack.start();
    const admin = stack.client(await stack.token('admin', ADMIN, 'admin@example.com'));

    // Act: Postgres, in a process group of its own, is left running for the next start to stop
    await stack.kill('group');
    await stack.start();

    // Assess
    expect((await admin.get('/api/redemptions')).status).toBe(200);
  });
});
