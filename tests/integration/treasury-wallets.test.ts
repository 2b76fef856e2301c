import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, rowCounts } from '../support/fixtures';
import { allPages, auditRows, newAddress, registerPool, registerWallet } from '../support/treasury-api';

const api = useApi();

const register = (admin: TestUser, body: Record<string, unknown>) => api.post('/api/wallets', body, { as: admin });
const patch = (admin: TestUser, id: string, body: Record<string, unknown>) =>
  api.request('PATCH', `/api/wallets/${id}`, { as: admin, body });

describe('platform wallets', () => {
  it.each([
    { wallet_type: 'lp', wallet_role: 'liquidity_pool' },
    { wallet_type: 'admin', wallet_role: 'operations' },
    { wallet_type: 'treasury', wallet_role: 'treasury_pool' },
    { wallet_type: 'distribution', wallet_role: 'distribution' },
  ])('take the role $wallet_role from type $wallet_type unless given one', async ({ wallet_type, wallet_role }) => {
    const admin = newUser('admin');
    const address = newAddress();

    const response = await register(admin, { address, wallet_type });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ address, wallet_type, wallet_role, min_reserve_threshold: null, label: null, project_id: null });
    expect(await auditRows('wallet.register')).toEqual([
      expect.objectContaining({ admin_id: admin.id, target: { wallet_id: response.body.id, address } }),
    ]);
  });

  it('are registered with an explicit role, a label, a project and a reserve', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);

    const response = await register(admin, {
      address: 'GBXYZ-stellar-style-address',
      label: 'Solar liquidity',
      wallet_type: 'treasury',
      wallet_role: 'liquidity_pool',
      project_id: projectId,
      min_reserve_threshold: '1500.5',
    });

    expect(response.body).toMatchObject({
      address: 'GBXYZ-stellar-style-address',
      label: 'Solar liquidity',
      wallet_type: 'treasury',
      wallet_role: 'liquidity_pool',
      project_id: projectId,
      min_reserve_threshold: '1500.50',
    });
  });

  it.each([
    { case: 'an address already registered', body: (taken: string) => ({ address: taken, wallet_type: 'lp' }) },
    { case: 'a second treasury pool', body: () => ({ address: newAddress(), wallet_type: 'treasury' }) },
    { case: 'a second treasury pool by role', body: () => ({ address: newAddress(), wallet_type: 'admin', wallet_role: 'treasury_pool' }) },
  ])('refuse $case with a 409, writing nothing', async ({ body }) => {
    const admin = newUser('admin');
    const pool = await registerPool(api, admin);
    const before = await rowCounts();

    const response = await register(admin, body(pool.address));

    expect(response.status).toBe(409);
    expect(response.body.type).toBe('/problems/conflict');
    expect(await rowCounts()).toEqual(before);
  });

  it('let only one of several pools registered at once through', async () => {
    const admin = newUser('admin');

    const responses = await Promise.all(Array.from({ length: 5 }, () => register(admin, { address: newAddress(), wallet_type: 'treasury' })));

    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('refuse a project that does not exist (422)', async () => {
    const response = await register(newUser('admin'), { address: newAddress(), wallet_type: 'lp', project_id: crypto.randomUUID() });
    expect(response.status).toBe(422);
  });

  it('have their role and reserve set, and the reserve removed, each change audited', async () => {
    // Prepare
    const admin = newUser('admin');
    const wallet = await registerWallet(api, admin, { wallet_type: 'treasury', wallet_role: 'treasury' });

    // Act
    const both = await patch(admin, wallet.id, { wallet_role: 'treasury_pool', min_reserve_threshold: '250' });
    const cleared = await patch(admin, wallet.id, { min_reserve_threshold: null });

    // Assess
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ id: wallet.id, wallet_role: 'treasury_pool', min_reserve_threshold: '250.00' });
    expect(cleared.body).toMatchObject({ wallet_role: 'treasury_pool', min_reserve_threshold: null });
    expect((await auditRows('wallet.update_settings')).map((row) => row.details)).toEqual([
      { previous: { wallet_role: 'treasury', min_reserve_threshold: null }, new: { wallet_role: 'treasury_pool', min_reserve_threshold: '250.00' } },
      { previous: { wallet_role: 'treasury_pool', min_reserve_threshold: '250.00' }, new: { wallet_role: 'treasury_pool', min_reserve_threshold: null } },
    ]);
  });

  it('may not be made a second treasury pool (409); the pool itself may keep the role', async () => {
    const admin = newUser('admin');
    const pool = await registerPool(api, admin);
    const other = await registerWallet(api, admin);

    const refused = await patch(admin, other.id, { wallet_role: 'treasury_pool' });
    const kept = await patch(admin, pool.id, { wallet_role: 'treasury_pool', min_reserve_threshold: '1' });

    expect(refused.status).toBe(409);
    expect(refused.body.treasury_pool_wallet_id).toBe(pool.id);
    expect(kept.status).toBe(200);
  });

  it('answer 404 for a wallet that does not exist', async () => {
    const admin = newUser('admin');
    expect((await patch(admin, crypto.randomUUID(), { min_reserve_threshold: '1' })).status).toBe(404);
    expect((await api.get(`/api/wallets/${crypto.randomUUID()}/balance`, { as: admin })).status).toBe(404);
  });

  it('are listed newest first, by role, page by page', async () => {
    const admin = newUser('admin');
    const first = await registerWallet(api, admin, { wallet_type: 'lp' });
    const second = await registerWallet(api, admin, { wallet_type: 'admin' });
    const third = await registerWallet(api, admin, { wallet_type: 'lp' });

    const all = await allPages(api, admin, '/api/wallets', 2);
    const liquidity = await api.get('/api/wallets?wallet_role=liquidity_pool', { as: admin });

    expect(all.map((w) => w.id)).toEqual([third.id, second.id, first.id]);
    expect(liquidity.body.items.map((w: { id: string }) => w.id)).toEqual([third.id, first.id]);
  });

  it("report a wallet's balance with its reserve", async () => {
    const admin = newUser('admin');
    const wallet = await registerWallet(api, admin, { min_reserve_threshold: '10' });

    const response = await api.get(`/api/wallets/${wallet.id}/balance`, { as: admin });

    expect(response.body).toEqual({
      wallet_id: wallet.id,
      address: wallet.address,
      wallet_role: 'operations',
      balance: '0.00',
      min_reserve_threshold: '10.00',
      spendable: '0.00',
    });
  });
});
