import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { newUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, moveTokens, RECORD_DATE, rowCounts, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toFixed(7);

async function activity(eventId: string) {
  const { rows } = await sql<{ activity_type: string; previous_status: string | null; new_status: string | null }>`
    SELECT activity_type, previous_status, new_status FROM distribution_activity_log
    WHERE distribution_event_id = ${eventId}::uuid ORDER BY created_at, id`.execute(getDb());
  return rows;
}

async function calculate(admin: ReturnType<typeof newUser>, eventId: string) {
  const response = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainCalculations();
  return response;
}

describe('a distribution from creation to completion', () => {
  it('is created, calculated, activated, withdrawn from, paid and completed', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [alice, bob] = await seedHolders(api, admin, projectId, ['300', '700']);
    if (!alice || !bob) throw new Error('holders');

    // Act: create and calculate
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '1000.0000001' });
    const accepted = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    const whileQueued = await api.get(`/api/distributions/${eventId}`, { as: admin });
    await queues.drainCalculations();
    const calculated = await api.get(`/api/distributions/${eventId}`, { as: admin });

    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('calculating');
    expect(whileQueued.body.progress).toEqual({ phase: 'snapshot', holders_done: 0, holders_total: null });
    expect(calculated.body).toMatchObject({
      status: 'calculated',
      progress: null,
      snapshot_date: '2026-03-31T00:00:00.000Z',
      snapshot_total_lp_tokens: '1000.0000000',
      snapshot_holder_count: 2,
      total_allocated: '1000.0000001',
      total_available: '1000.0000001',
    });
    expect(calculated.body.snapshot_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const allocations = await allAllocations(api, admin, eventId);
    const byHolder = Object.fromEntries(allocations.map((a) => [a.lp_token_holder_id, a]));
    expect(byHolder[alice.id]).toMatchObject({ lp_tokens_held: '300.0000000', ownership_percentage: '30.0000000', allocated_amount: '300.0000000' });
    expect(byHolder[bob.id]).toMatchObject({ lp_tokens_held: '700.0000000', ownership_percentage: '70.0000000', allocated_amount: '700.0000001' });

    // Act: activate, withdraw, approve, pay, complete
    const activated = await api.post(`/api/distributions/${eventId}/activate`, {}, { as: admin });
    const aliceAllocation = byHolder[alice.id]?.id;
    const requested = await api.post(`/api/distributions/allocations/${aliceAllocation}/withdrawals`, { amount: '300' }, { as: alice });
    const approved = await api.post(`/api/withdrawals/${requested.body.id}/approve`, undefined, { as: admin });
    const paid = await api.post(`/api/withdrawals/${requested.body.id}/payments`, { payment_reference: 'NIP-0001' }, { as: admin });
    const notAllWithdrawn = await api.post(`/api/distributions/${eventId}/complete`, {}, { as: admin });
    const completed = await api.post(`/api/distributions/${eventId}/complete`, { reason: 'Bob paid off-platform' }, { as: admin });

    // Assess
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', approved_by: admin.id });
    expect(requested.status).toBe(201);
    expect(approved.body.status).toBe('approved');
    expect(paid.body).toMatchObject({ status: 'paid', payment_reference: 'NIP-0001', paid_by: admin.id });
    expect(notAllWithdrawn.status).toBe(409);
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', completion_reason: 'Bob paid off-platform', total_withdrawn: '300.0000000', total_pending: '0.0000000' });
    const aliceAfter = (await allAllocations(api, alice, eventId))[0];
    expect(aliceAfter).toMatchObject({ withdrawn_amount: '300.0000000', available_amount: '0.0000000', status: 'fully_withdrawn' });
    expect((await activity(eventId)).map((a) => a.activity_type)).toEqual([
      'event_created',
      'calculation_requested',
      'allocations_calculated',
      'event_activated',
      'withdrawal_requested',
      'withdrawal_approved',
      'payment_recorded',
      'event_completed',
    ]);
  });
});

describe('creating a distribution', () => {
  it('starts in draft with an activity and an audit row', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);

    const response = await api.post(
      '/api/distributions',
      { project_id: projectId, event_type: 'dividend', title: 'H1', description: 'Half-year', total_amount: '12.5', distribution_date: RECORD_DATE },
      { as: admin },
    );

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/distributions/${response.body.id}`);
    expect(response.body).toMatchObject({ status: 'draft', total_amount: '12.5000000', total_allocated: '0.0000000', event_type: 'dividend' });
    expect(await activity(response.body.id)).toEqual([{ activity_type: 'event_created', previous_status: null, new_status: 'draft' }]);
    const { rows } = await sql`SELECT action FROM audit_admin_actions WHERE action = 'distribution.create'`.execute(getDb());
    expect(rows).toHaveLength(1);
  });

  it('refuses a project that does not exist (422) and writes nothing', async () => {
    const admin = newUser('admin');
    await createProject(api, admin);
    const before = await rowCounts();
    const response = await api.post(
      '/api/distributions',
      { project_id: '00000000-0000-4000-8000-000000000000', event_type: 'revenue', title: 'x', total_amount: '1', distribution_date: RECORD_DATE },
      { as: admin },
    );
    expect(response.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });

  it.each(['0', '-5', '0.00000001'])('refuses a total amount of %s with a 400', async (amount) => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const response = await api.post(
      '/api/distributions',
      { project_id: projectId, event_type: 'revenue', title: 'x', total_amount: amount, distribution_date: RECORD_DATE },
      { as: admin },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('total_amount');
  });
});

describe('calculating allocations', () => {
  it('sums allocations and percentages exactly, for awkward splits', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '1', '1', '0.0000001', '12345.6789012', '999999.9999999', '3']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });

    await calculate(admin, eventId);

    const allocations = await allAllocations(api, admin, eventId);
    expect(allocations).toHaveLength(7);
    expect(sum(allocations.map((a) => a.allocated_amount as string))).toBe('100.0000000');
    expect(sum(allocations.map((a) => a.ownership_percentage as string))).toBe('100.0000000');
    for (const a of allocations) expect(a.available_amount).toBe(a.allocated_amount);
  });

  it('gives a single holder 100%', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['0.0000001']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '9999999999999.9999999' });

    await calculate(admin, eventId);

    const [only] = await allAllocations(api, admin, eventId);
    expect(only).toMatchObject({ ownership_percentage: '100.0000000', allocated_amount: '9999999999999.9999999' });
  });

  it('fails with the reason when nobody held tokens, and succeeds once fixed', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const eventId = await createDistribution(api, admin, projectId);

    await calculate(admin, eventId);
    const failed = await api.get(`/api/distributions/${eventId}`, { as: admin });
    await seedHolders(api, admin, projectId, ['10']);
    const again = await calculate(admin, eventId);
    const calculated = await api.get(`/api/distributions/${eventId}`, { as: admin });

    expect(failed.body).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('No LP token holders') });
    expect(again.status).toBe(202);
    expect(calculated.body.status).toBe('calculated');
    expect((await activity(eventId)).map((a) => a.activity_type)).toEqual([
      'event_created',
      'calculation_requested',
      'calculation_failed',
      'calculation_requested',
      'allocations_calculated',
    ]);
  });

  it('answers 409 to calculating a calculated event, with nothing written', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['10']);
    const eventId = await createDistribution(api, admin, projectId);
    await calculate(admin, eventId);
    const before = await rowCounts();

    const response = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ current_status: 'calculated' });
    expect(await rowCounts()).toEqual(before);
    expect(queues.depth('allocation')).toBe(0);
  });

  it('refuses a record date that has not come yet', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const eventId = await createDistribution(api, admin, projectId, { distribution_date: '2099-01-01T00:00:00Z' });
    const response = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    expect(response.status).toBe(422);
  });
});

describe('cancelling', () => {
  it.each(['draft', 'calculated'])('cancels a %s event with its reason', async (state) => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['10']);
    const eventId = await createDistribution(api, admin, projectId);
    if (state === 'calculated') await calculate(admin, eventId);

    const response = await api.request('DELETE', `/api/distributions/${eventId}`, { as: admin, body: { cancellation_reason: 'Wrong amount' } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'cancelled', cancellation_reason: 'Wrong amount', cancelled_by: admin.id });
    expect((await activity(eventId)).at(-1)).toEqual({ activity_type: 'event_cancelled', previous_status: state, new_status: 'cancelled' });
  });

  it('refuses an active event, and a missing reason', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['10']);
    const eventId = await createDistribution(api, admin, projectId);
    await calculate(admin, eventId);
    await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin });

    expect((await api.request('DELETE', `/api/distributions/${eventId}`, { as: admin, body: {} })).status).toBe(400);
    expect((await api.request('DELETE', `/api/distributions/${eventId}`, { as: admin, body: { cancellation_reason: 'x' } })).status).toBe(409);
  });
});

describe('reading distributions', () => {
  it('lists a project’s events newest first, pages them, and totals them in stats', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const dates = ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z'];
    const ids = [];
    for (const date of dates) ids.push(await createDistribution(api, admin, projectId, { distribution_date: date, total_amount: '10.5' }));
    const cancelled = await createDistribution(api, admin, projectId, { total_amount: '999' });
    await api.request('DELETE', `/api/distributions/${cancelled}`, { as: admin, body: { cancellation_reason: 'duplicate' } });

    const first = await api.get(`/api/distributions/project/${projectId}?limit=2`, { as: newUser('lp') });
    const second = await api.get(`/api/distributions/project/${projectId}?limit=2&cursor=${first.body.next_cursor}`, { as: admin });
    const stats = await api.get(`/api/distributions/project/${projectId}/stats`, { as: newUser('lp') });

    expect(first.body.items).toHaveLength(2);
    expect(second.body.items.map((e: { id: string }) => e.id)).toEqual([ids[1], ids[0]]);
    expect([...first.body.items, ...second.body.items].map((e: { distribution_date: string }) => e.distribution_date)).toEqual([
      '2026-03-31T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-01-31T00:00:00.000Z',
    ]);
    expect(stats.body).toEqual({ project_id: projectId, total_events: 3, total_distributed: '31.5000000', total_withdrawn: '0.0000000', total_pending: '0.0000000' });
  });

  it('shows an LP only their own allocation of an event, and only their own allocations across events', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [alice, bob] = await seedHolders(api, admin, projectId, ['1', '3']);
    if (!alice || !bob) throw new Error('holders');
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '4' });
    await calculate(admin, eventId);

    const asAlice = await allAllocations(api, alice, eventId);
    const aliceAcross = await api.get(`/api/distributions/lp/${alice.id}/allocations`, { as: alice });
    const aliceFiltered = await api.get(`/api/distributions/lp/${alice.id}/allocations?project_id=${projectId}`, { as: admin });
    const bobSnooping = await api.get(`/api/distributions/lp/${alice.id}/allocations`, { as: bob });

    expect(asAlice).toHaveLength(1);
    expect(asAlice[0]).toMatchObject({ lp_token_holder_id: alice.id, allocated_amount: '1.0000000' });
    expect(aliceAcross.body.items).toHaveLength(1);
    expect(aliceFiltered.body.items).toHaveLength(1);
    expect(bobSnooping.status).toBe(403);
  });

  it('pages activity per event, per project and across projects', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const eventId = await createDistribution(api, admin, projectId);
    await createDistribution(api, admin, await createProject(api, admin, 'Other'));

    const perEvent = await api.get(`/api/distributions/${eventId}/activity`, { as: admin });
    const perProject = await api.get(`/api/distributions/project/${projectId}/activity`, { as: admin });
    const recent = await api.get('/api/distributions/activity/recent?limit=1', { as: admin });
    const recentNext = await api.get(`/api/distributions/activity/recent?limit=1&cursor=${recent.body.next_cursor}`, { as: admin });

    expect(perEvent.body.items).toHaveLength(1);
    expect(perEvent.body.items[0]).toMatchObject({ activity_type: 'event_created', performed_by: admin.id, distribution_title: 'Q1 revenue' });
    expect(perProject.body.items).toHaveLength(1);
    expect(recent.body.items).toHaveLength(1);
    expect(recentNext.body.items).toHaveLength(1);
    expect(recentNext.body.items[0].id).not.toBe(recent.body.items[0].id);
  });

  it('exports the payment file as CSV pages linked by a Link header', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const holders = await seedHolders(api, admin, projectId, ['1', '2', '3']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '6' });
    await calculate(admin, eventId);

    const first = await api.get(`/api/distributions/${eventId}/allocations.csv?limit=2`, { as: admin });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    const second = await api.get(next ?? '', { as: admin });

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = `${first.body}${second.body}`.trim().split('\r\n');
    expect(lines[0]).toBe('holder_id,email,tokens,percentage,allocated,withdrawn,pending,available');
    expect(lines).toHaveLength(4);
    expect(second.headers.get('link')).toBeNull();
    const sorted = [...holders].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(lines[1]?.split(',')[0]).toBe(sorted[0]?.id);
  });
});

describe('the record date', () => {
  it('is when holdings are read: later movements and zero balances are left out', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [alice, bob, carol] = await seedHolders(api, admin, projectId, ['10', '10', '10']);
    if (!alice || !bob || !carol) throw new Error('holders');
    await moveTokens(api, admin, projectId, { kind: 'burn', holder_id: carol.id, amount: '10', effective_at: '2026-02-01T00:00:00Z' });
    await moveTokens(api, admin, projectId, { kind: 'transfer', holder_id: alice.id, to_holder_id: bob.id, amount: '10', effective_at: '2026-04-15T00:00:00Z' });
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '20' });

    await calculate(admin, eventId);

    const allocations = await allAllocations(api, admin, eventId);
    expect(Object.fromEntries(allocations.map((a) => [a.lp_token_holder_id, a.allocated_amount]))).toEqual({
      [alice.id]: '10.0000000',
      [bob.id]: '10.0000000',
    });
  });

  it('closes the books: no movement may land at or before it once calculated', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [alice] = await seedHolders(api, admin, projectId, ['10']);
    if (!alice) throw new Error('holders');
    const eventId = await createDistribution(api, admin, projectId);
    await calculate(admin, eventId);

    const backdated = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '1', effective_at: '2026-03-30T00:00:00Z' });
    const after = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '1', effective_at: '2026-04-01T00:00:00Z' });

    expect(backdated.status).toBe(422);
    expect(backdated.body.closed_until).toBe('2026-03-31T00:00:00.000Z');
    expect(after.status).toBe(201);
  });

  it('gives the same snapshot hash to the same holdings', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['5', '7']);
    const first = await createDistribution(api, admin, projectId, { total_amount: '1' });
    const second = await createDistribution(api, admin, projectId, { total_amount: '2' });
    await calculate(admin, first);
    await calculate(admin, second);
    const a = await api.get(`/api/distributions/${first}`, { as: admin });
    const b = await api.get(`/api/distributions/${second}`, { as: admin });
    expect(a.body.snapshot_hash).toBe(b.body.snapshot_hash);
  });
});
