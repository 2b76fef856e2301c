import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, rowCounts } from '../support/fixtures';
import { allPages, auditRows, cashflowIn, newAddress, recordTransaction, registerPool, registerWallet } from '../support/treasury-api';

const api = useApi();

const record = (admin: TestUser, body: Record<string, unknown>) => api.post('/api/treasury/transactions', body, { as: admin });
const poolBalance = async (admin: TestUser) => (await api.get('/api/treasury/balance', { as: admin })).body;

describe('the treasury pool', () => {
  it('balances to the kobo after a sequence of every type of transaction', async () => {
    // Prepare: the pool keeps 500.00 back; an operations wallet
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const pool = await registerPool(api, admin, { minReserve: '500.00' });
    const ops = await registerWallet(api, admin, { wallet_type: 'admin' });
    const cashflow = await cashflowIn(api, projectId, 'verified', '250.25');

    // Act
    const steps = [
      { type: 'inflow', amount_ngnts: '1000.1', source_project_id: projectId, related_tx_hash: '0xin', metadata: { bank: 'GTB' } },
      { type: 'inflow', amount_ngnts: '250.25', cashflow_id: cashflow.id },
      { type: 'allocation', amount_ngnts: '300.33', destination_wallet: ops.address },
      { type: 'replenish', amount_ngnts: '100.01', source_wallet: ops.address },
      { type: 'replenish', amount_ngnts: '0.01' },
      { type: 'buyback', amount_ngnts: '49.99', source_wallet: pool.address },
      { type: 'fee', amount_ngnts: '0.05', source_wallet: ops.address },
    ];
    const recorded = [];
    for (const step of steps) recorded.push(await recordTransaction(api, admin, step));

    // Assess: 1000.10 + 250.25 − 300.33 + 100.01 + 0.01 − 49.99; the wallet 300.33 − 100.01 − 0.05
    expect(await poolBalance(admin)).toEqual({
      wallet_id: pool.id,
      address: pool.address,
      wallet_role: 'treasury_pool',
      balance: '1000.05',
      min_reserve_threshold: '500.00',
      spendable: '500.05',
    });
    expect((await api.get(`/api/wallets/${ops.id}/balance`, { as: admin })).body).toMatchObject({ balance: '200.27', spendable: '200.27' });
    expect(recorded[0]).toMatchObject({
      type: 'inflow',
      amount_ngnts: '1000.10',
      source_wallet: null,
      destination_wallet: pool.address,
      source_project_id: projectId,
      related_tx_hash: '0xin',
      metadata: { bank: 'GTB' },
      recorded_by: admin.id,
    });
    expect(recorded[1]).toMatchObject({ cashflow_id: cashflow.id, source_project_id: projectId, destination_wallet: pool.address });
    expect(recorded[2]).toMatchObject({ source_wallet: pool.address, destination_wallet: ops.address });
    expect(recorded[4]).toMatchObject({ source_wallet: null, destination_wallet: pool.address });
    expect(recorded[6]).toMatchObject({ source_wallet: ops.address, destination_wallet: null });
    expect((await auditRows('treasury.inflow')).map((row) => row.target)).toEqual([
      { treasury_transaction_id: recorded[0]?.id },
      { treasury_transaction_id: recorded[1]?.id },
    ]);
  });

  it('refuses an outflow below the minimum reserve, saying by how much, writing nothing', async () => {
    // Prepare: 100.00 in the pool, 40.00 kept back
    const admin = newUser('admin');
    const pool = await registerPool(api, admin, { minReserve: '40.00', opening: '100.00' });
    const before = await rowCounts();

    // Act
    const response = await record(admin, { type: 'buyback', amount_ngnts: '60.01', source_wallet: pool.address });

    // Assess
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      type: '/problems/rule-violation',
      wallet: pool.address,
      balance: '100.00',
      outflow: '60.01',
      min_reserve: '40.00',
      shortfall: '0.01',
    });
    expect(response.body.detail).toContain('0.01 below its minimum reserve of 40.00');
    expect(await rowCounts()).toEqual(before);
    expect((await record(admin, { type: 'buyback', amount_ngnts: '60.00', source_wallet: pool.address })).status).toBe(201);
  });

  it('never lets a wallet go below zero, even without a reserve', async () => {
    const admin = newUser('admin');
    await registerPool(api, admin, { opening: '10.00' });
    const ops = await registerWallet(api, admin);

    const response = await record(admin, { type: 'allocation', amount_ngnts: '10.01', destination_wallet: ops.address });

    expect(response.status).toBe(422);
    expect(response.body.shortfall).toBe('0.01');
  });

  it('keeps the reserve when 30 outflows from one wallet arrive at once', async () => {
    // Prepare: 100.00 in the pool, 40.00 kept back: room for exactly 20 buybacks of 3.00
    const admin = newUser('admin');
    const pool = await registerPool(api, admin, { minReserve: '40.00', opening: '100.00' });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => record(admin, { type: 'buyback', amount_ngnts: '3.00', source_wallet: pool.address })),
    );

    // Assess
    expect(responses.filter((r) => r.status === 201)).toHaveLength(20);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(10);
    expect(await poolBalance(admin)).toMatchObject({ balance: '40.00', spendable: '0.00' });
    const listed = await allPages(api, admin, '/api/treasury/transactions?type=buyback', 7);
    expect(new Set(listed.map((t) => t.id)).size).toBe(20);
  });

  describe('bringing in a cashflow', () => {
    it('happens once: a second inflow of it is a 409 naming the first', async () => {
      const admin = newUser('admin');
      const projectId = await createProject(api, admin);
      await registerPool(api, admin);
      const cashflow = await cashflowIn(api, projectId, 'tokenized', '75.50');
      const first = await recordTransaction(api, admin, { type: 'inflow', amount_ngnts: '75.50', cashflow_id: cashflow.id });
      const before = await rowCounts();

      const second = await record(admin, { type: 'inflow', amount_ngnts: '75.50', cashflow_id: cashflow.id });

      expect(second.status).toBe(409);
      expect(second.body.treasury_transaction_id).toBe(first.id);
      expect(await rowCounts()).toEqual(before);
    });

    it('happens once even when asked for twice at the same time', async () => {
      const admin = newUser('admin');
      const projectId = await createProject(api, admin);
      await registerPool(api, admin);
      const cashflow = await cashflowIn(api, projectId, 'verified', '10.00');

      const responses = await Promise.all(
        Array.from({ length: 5 }, () => record(admin, { type: 'inflow', amount_ngnts: '10.00', cashflow_id: cashflow.id })),
      );

      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });

    it.each([
      { case: 'not verified yet', status: 'recorded', amount: '10.00', project: 'own', expected: 409 },
      { case: 'for another amount', status: 'verified', amount: '10.01', project: 'own', expected: 422 },
      { case: 'for another project', status: 'verified', amount: '10.00', project: 'other', expected: 422 },
    ] as const)('is refused $case, writing nothing', async ({ status, amount, project, expected }) => {
      const admin = newUser('admin');
      const projectId = await createProject(api, admin);
      const otherProjectId = await createProject(api, admin, 'Other');
      await registerPool(api, admin);
      const cashflow = await cashflowIn(api, projectId, status, '10.00');
      const before = await rowCounts();

      const response = await record(admin, {
        type: 'inflow',
        amount_ngnts: amount,
        cashflow_id: cashflow.id,
        source_project_id: project === 'own' ? projectId : otherProjectId,
      });

      expect(response.status).toBe(expected);
      expect(await rowCounts()).toEqual(before);
    });
  });

  it.each([
    { case: 'no pool is registered', pool: false, body: () => ({ type: 'inflow', amount_ngnts: '1.00' }) },
    { case: 'an inflow goes to a wallet other than the pool', pool: true, body: (w: string) => ({ type: 'inflow', amount_ngnts: '1.00', destination_wallet: w }) },
    { case: 'an allocation goes to the pool itself', pool: true, body: (_w: string, p: string) => ({ type: 'allocation', amount_ngnts: '1.00', destination_wallet: p }) },
    { case: 'a replenishment comes from the pool itself', pool: true, body: (_w: string, p: string) => ({ type: 'replenish', amount_ngnts: '1.00', source_wallet: p }) },
    { case: 'a fee comes from an unregistered wallet', pool: true, body: () => ({ type: 'fee', amount_ngnts: '1.00', source_wallet: newAddress() }) },
    { case: 'the source project does not exist', pool: true, body: () => ({ type: 'inflow', amount_ngnts: '1.00', source_project_id: crypto.randomUUID() }) },
    { case: 'the cashflow does not exist', pool: true, body: () => ({ type: 'inflow', amount_ngnts: '1.00', cashflow_id: crypto.randomUUID() }) },
  ])('refuses a transaction when $case (422), writing nothing', async ({ pool, body }) => {
    // Prepare
    const admin = newUser('admin');
    const wallet = await registerWallet(api, admin);
    const poolAddress = pool ? (await registerPool(api, admin, { opening: '100.00' })).address : newAddress();
    const before = await rowCounts();

    // Act
    const response = await record(admin, body(wallet.address, poolAddress));

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });

  it('lists transactions newest first, by type and by project, page by page', async () => {
    // Prepare
    const admin = newUser('admin');
    const solar = await createProject(api, admin, 'Solar');
    const wind = await createProject(api, admin, 'Wind');
    const pool = await registerPool(api, admin);
    const a = await recordTransaction(api, admin, { type: 'inflow', amount_ngnts: '5.00', source_project_id: solar });
    const b = await recordTransaction(api, admin, { type: 'inflow', amount_ngnts: '6.00', source_project_id: wind });
    const c = await recordTransaction(api, admin, { type: 'fee', amount_ngnts: '1.00', source_wallet: pool.address, source_project_id: solar });

    // Act
    const all = await allPages(api, admin, '/api/treasury/transactions', 2);
    const inflows = await api.get('/api/treasury/transactions?type=inflow', { as: admin });
    const solarOnes = await api.get(`/api/treasury/transactions?project_id=${solar}`, { as: admin });
    const solarFees = await api.get(`/api/treasury/transactions?project_id=${solar}&type=fee`, { as: admin });

    // Assess
    expect(all.map((t) => t.id)).toEqual([c.id, b.id, a.id]);
    expect(inflows.body.items.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);
    expect(solarOnes.body.items.map((t: { id: string }) => t.id)).toEqual([c.id, a.id]);
    expect(solarFees.body.items.map((t: { id: string }) => t.id)).toEqual([c.id]);
  });

  it('answers 404 for the balance while no pool is registered', async () => {
    const response = await api.get('/api/treasury/balance', { as: newUser('admin') });
    expect(response.status).toBe(404);
  });

  it.each(['UPDATE treasury_pool_transactions SET amount_ngnts = 1', 'DELETE FROM treasury_pool_transactions'])(
    'is append-only in the database too: %s is refused',
    async (statement) => {
      const admin = newUser('admin');
      await registerPool(api, admin, { opening: '100.00' });
      await expect(sql.raw(statement).execute(getDb())).rejects.toThrow(/append-only/);
      expect((await poolBalance(admin)).balance).toBe('100.00');
    },
  );
});
