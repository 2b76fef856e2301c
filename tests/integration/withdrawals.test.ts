import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withdrawalLimits } from '../../shared/config';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { newUser, type TestUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, rowCounts, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

/** An active event where alice holds an allocation of `amount` and bob another. */
async function activeEvent(amount = '100') {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [alice, bob] = (await seedHolders(api, admin, projectId, ['1', '1'])) as [TestUser, TestUser];
  const eventId = await createDistribution(api, admin, projectId, { total_amount: new Decimal(amount).times(2).toFixed(7) });
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainCalculations();
  await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin });
  const allocationOf = async (holder: TestUser) => (await allAllocations(api, holder, eventId))[0] as Record<string, string>;
  return { admin, alice, bob, eventId, aliceAllocation: (await allocationOf(alice)).id as string, allocationOf };
}

const withdraw = (as: TestUser, allocationId: string, amount: string, headers?: Record<string, string>) =>
  api.post(`/api/distributions/allocations/${allocationId}/withdrawals`, { amount }, { as, headers });

async function eventTotals(eventId: string) {
  const { rows } = await sql<{ total_pending: string; total_withdrawn: string }>`
    SELECT total_pending::text, total_withdrawn::text FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  return rows[0];
}

describe('withdrawals', () => {
  it('hold the amount at once and move it to withdrawn when paid', async () => {
    const { admin, alice, eventId, aliceAllocation, allocationOf } = await activeEvent();

    const requested = await withdraw(alice, aliceAllocation, '40');
    const held = await allocationOf(alice);
    const heldTotals = await eventTotals(eventId);
    await api.post(`/api/withdrawals/${requested.body.id}/approve`, {}, { as: admin });
    const paid = await api.post(`/api/withdrawals/${requested.body.id}/payments`, { payment_reference: 'TRF-77' }, { as: admin });

    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'pending', amount: '40.0000000', lp_token_holder_id: alice.id });
    expect(held).toMatchObject({ available_amount: '60.0000000', pending_amount: '40.0000000', withdrawn_amount: '0.0000000', status: 'allocated' });
    expect(heldTotals).toEqual({ total_pending: '40.0000000', total_withdrawn: '0.0000000' });
    expect(paid.body).toMatchObject({ status: 'paid', payment_reference: 'TRF-77' });
    expect(await allocationOf(alice)).toMatchObject({
      available_amount: '60.0000000',
      pending_amount: '0.0000000',
      withdrawn_amount: '40.0000000',
      status: 'partially_withdrawn',
    });
    expect(await eventTotals(eventId)).toEqual({ total_pending: '0.0000000', total_withdrawn: '40.0000000' });
  });

  it('release the hold when rejected, with the reason', async () => {
    const { admin, alice, eventId, aliceAllocation, allocationOf } = await activeEvent();
    const requested = await withdraw(alice, aliceAllocation, '100');

    const rejected = await api.post(`/api/withdrawals/${requested.body.id}/reject`, { reason: 'Bank details missing' }, { as: admin });

    expect(rejected.body).toMatchObject({ status: 'rejected', decision_reason: 'Bank details missing', decided_by: admin.id });
    expect(await allocationOf(alice)).toMatchObject({ available_amount: '100.0000000', pending_amount: '0.0000000' });
    expect(await eventTotals(eventId)).toEqual({ total_pending: '0.0000000', total_withdrawn: '0.0000000' });
    const { rows } = await sql`SELECT action FROM audit_admin_actions WHERE action = 'withdrawal.reject'`.execute(getDb());
    expect(rows).toHaveLength(1);
  });

  it('mark the allocation fully withdrawn when everything is paid', async () => {
    const { admin, alice, aliceAllocation, allocationOf } = await activeEvent('0.0000001');
    const requested = await withdraw(alice, aliceAllocation, '0.0000001');
    await api.post(`/api/withdrawals/${requested.body.id}/approve`, undefined, { as: admin });
    await api.post(`/api/withdrawals/${requested.body.id}/payments`, { payment_reference: 'x' }, { as: admin });
    expect((await allocationOf(alice)).status).toBe('fully_withdrawn');
  });

  it.each([
    { case: 'more than is available', amount: '100.0000001', status: 422 },
    { case: 'zero', amount: '0', status: 400 },
  ])('refuse $case, writing nothing', async ({ amount, status }) => {
    const { alice, aliceAllocation } = await activeEvent();
    const before = await rowCounts();
    const response = await withdraw(alice, aliceAllocation, amount);
    expect(response.status).toBe(status);
    expect(await rowCounts()).toEqual(before);
  });

  it("are refused on another LP's allocation as if it did not exist", async () => {
    const { bob, aliceAllocation } = await activeEvent();
    expect((await withdraw(bob, aliceAllocation, '1')).status).toBe(404);
  });

  it('are refused until the event is active', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [alice] = (await seedHolders(api, admin, projectId, ['1'])) as [TestUser];
    const eventId = await createDistribution(api, admin, projectId);
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();
    const [allocation] = await allAllocations(api, alice, eventId);
    const response = await withdraw(alice, allocation?.id as string, '1');
    expect(response.status).toBe(409);
    expect(response.body.current_status).toBe('calculated');
  });

  it('never take more than is available, however many arrive at once', async () => {
    const { alice, aliceAllocation, allocationOf, eventId } = await activeEvent('10');

    const responses = await Promise.all(Array.from({ length: 100 }, () => withdraw(alice, aliceAllocation, '1.1')));

    const accepted = responses.filter((r) => r.status === 201).length;
    expect(accepted).toBe(9);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(91);
    expect(await allocationOf(alice)).toMatchObject({ pending_amount: '9.9000000', available_amount: '0.1000000' });
    expect((await eventTotals(eventId))?.total_pending).toBe('9.9000000');
  });

  it('follow their state machine: no paying a pending request, no deciding twice', async () => {
    const { admin, alice, aliceAllocation } = await activeEvent();
    const { body } = await withdraw(alice, aliceAllocation, '1');
    expect((await api.post(`/api/withdrawals/${body.id}/payments`, { payment_reference: 'x' }, { as: admin })).status).toBe(409);
    expect((await api.post(`/api/withdrawals/${body.id}/approve`, undefined, { as: admin })).status).toBe(200);
    expect((await api.post(`/api/withdrawals/${body.id}/approve`, undefined, { as: admin })).status).toBe(409);
    await api.post(`/api/withdrawals/${body.id}/payments`, { payment_reference: 'x' }, { as: admin });
    expect((await api.post(`/api/withdrawals/${body.id}/reject`, { reason: 'late' }, { as: admin })).status).toBe(409);
  });

  it('are listed: an LP sees their own, an admin everyone’s, by status', async () => {
    const { admin, alice, bob, aliceAllocation, allocationOf } = await activeEvent();
    const first = await withdraw(alice, aliceAllocation, '1');
    await withdraw(alice, aliceAllocation, '2');
    await withdraw(bob, (await allocationOf(bob)).id as string, '3');
    await api.post(`/api/withdrawals/${first.body.id}/approve`, undefined, { as: admin });

    const mine = await api.get('/api/withdrawals', { as: alice });
    const all = await api.get('/api/withdrawals?status=pending', { as: admin });
    const paged = await api.get('/api/withdrawals?limit=1', { as: admin });

    expect(mine.body.items.map((w: { amount: string }) => w.amount).sort()).toEqual(['1.0000000', '2.0000000']);
    expect(all.body.items.map((w: { amount: string }) => w.amount).sort()).toEqual(['2.0000000', '3.0000000']);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next_cursor).not.toBeNull();
  });
});

describe('the withdrawal limits', () => {
  const { minimumAmount, maxOpenPerAllocation } = withdrawalLimits();
  const justBelow = (amount: Decimal) => amount.minus('0.0000001').toFixed(7);

  it('refuse less than the minimum amount, naming it, and write nothing', async () => {
    const { alice, aliceAllocation } = await activeEvent();
    const before = await rowCounts();

    const response = await withdraw(alice, aliceAllocation, justBelow(minimumAmount));

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ minimum_amount: minimumAmount.toFixed(7), requested_amount: justBelow(minimumAmount) });
    expect(response.body.detail).toContain(`minimum withdrawal is ${minimumAmount.toFixed(7)}`);
    expect(await rowCounts()).toEqual(before);
  });

  it('let an allocation whose whole available amount is below the minimum withdraw all of it', async () => {
    const { alice, aliceAllocation } = await activeEvent(justBelow(minimumAmount));
    expect((await withdraw(alice, aliceAllocation, justBelow(minimumAmount))).status).toBe(201);
  });

  it('refuse one open request beyond the cap per allocation, naming it; decided requests make room', async () => {
    const { admin, alice, aliceAllocation } = await activeEvent();
    const open: string[] = [];
    for (let i = 0; i < maxOpenPerAllocation; i++) open.push((await withdraw(alice, aliceAllocation, '1')).body.id);
    await api.post(`/api/withdrawals/${open[0]}/approve`, {}, { as: admin });
    const before = await rowCounts();

    const beyond = await withdraw(alice, aliceAllocation, '1');
    const afterRefusal = await rowCounts();
    await api.post(`/api/withdrawals/${open[0]}/payments`, { payment_reference: 'NIP-1' }, { as: admin });
    const afterPayment = await withdraw(alice, aliceAllocation, '1');

    expect(beyond.status).toBe(422);
    expect(beyond.body).toMatchObject({ max_open_requests: maxOpenPerAllocation, open_requests: maxOpenPerAllocation });
    expect(beyond.body.detail).toContain(`at most ${maxOpenPerAllocation} open withdrawal requests`);
    expect(afterRefusal).toEqual(before);
    expect(afterPayment.status).toBe(201);
  });

  it('hold the cap however many requests arrive at once', async () => {
    const { alice, aliceAllocation, allocationOf } = await activeEvent();

    const responses = await Promise.all(Array.from({ length: 3 * maxOpenPerAllocation }, () => withdraw(alice, aliceAllocation, '1')));

    expect(responses.filter((r) => r.status === 201)).toHaveLength(maxOpenPerAllocation);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(2 * maxOpenPerAllocation);
    expect((await allocationOf(alice)).pending_amount).toBe(new Decimal(maxOpenPerAllocation).toFixed(7));
  });
});

describe('Idempotency-Key', () => {
  it('makes a repeated POST return the first response and do nothing more', async () => {
    const { alice, aliceAllocation, allocationOf } = await activeEvent();
    const key = { 'idempotency-key': 'withdraw-7f3a' };

    const first = await withdraw(alice, aliceAllocation, '5', key);
    const repeat = await withdraw(alice, aliceAllocation, '5', key);
    const otherBody = await withdraw(alice, aliceAllocation, '6', key);
    const otherKey = await withdraw(alice, aliceAllocation, '5', { 'idempotency-key': 'withdraw-other' });

    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(otherBody.status).toBe(422);
    expect(otherKey.status).toBe(201);
    expect(otherKey.body.id).not.toBe(first.body.id);
    expect((await allocationOf(alice)).pending_amount).toBe('10.0000000');
  });

  it('is scoped to the caller: another user reusing the key is not served the first response', async () => {
    const admin = newUser('admin');
    const other = newUser('admin');
    const key = { 'idempotency-key': 'create-project-1' };
    const mine = await api.post('/api/projects', { name: 'A' }, { as: admin, headers: key });
    const theirs = await api.post('/api/projects', { name: 'A' }, { as: other, headers: key });
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('is refused when longer than 255 characters', async () => {
    const response = await api.post('/api/projects', { name: 'A' }, { as: newUser('admin'), headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(response.status).toBe(400);
  });
});
