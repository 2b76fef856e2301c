import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { type ApiResponse, newUser, type TestUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, rowCounts, seedHolders } from '../support/fixtures';
import { lockWaiters, whileUserRowLocked } from '../support/locks';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

beforeAll(() => {
  // The attacker's conditions: no minimum and room for hundreds of open requests, so what keeps
  // an LP from holding an event open is the completion itself, not the limits.
  process.env.WITHDRAWAL_MINIMUM_AMOUNT = '0.0000001';
  process.env.WITHDRAWAL_MAX_OPEN_PER_ALLOCATION = '400';
});

const REASON = 'Remainder paid by bank transfer';

/** A project whose `count` holders hold one token each, and its admin. */
async function projectWithHolders(count: number) {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const holders = await seedHolders(api, admin, projectId, Array.from({ length: count }, () => '1'));
  return { admin, projectId, holders };
}

/** A new active event of the project giving each holder `each`, and each holder's allocation id. */
async function activeEvent(admin: TestUser, projectId: string, holders: TestUser[], each = '100') {
  const eventId = await createDistribution(api, admin, projectId, { total_amount: new Decimal(each).times(holders.length).toFixed(7) });
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainCalculations();
  const activated = await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin });
  if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${JSON.stringify(activated.body)}`);
  const allocations = await allAllocations(api, admin, eventId);
  const allocationOf = new Map(allocations.map((a) => [a.lp_token_holder_id as string, a.id as string]));
  return { eventId, allocationOf: (holder: TestUser) => allocationOf.get(holder.id) as string };
}

const withdraw = (lp: TestUser, allocationId: string, amount: string) =>
  api.post(`/api/distributions/allocations/${allocationId}/withdrawals`, { amount }, { as: lp });
const approve = (admin: TestUser, id: string) => api.post(`/api/withdrawals/${id}/approve`, {}, { as: admin });
const reject = (admin: TestUser, id: string, reason: string) => api.post(`/api/withdrawals/${id}/reject`, { reason }, { as: admin });
const pay = (admin: TestUser, id: string, reference: string) =>
  api.post(`/api/withdrawals/${id}/payments`, { payment_reference: reference }, { as: admin });
const complete = (admin: TestUser, eventId: string, reason?: string) =>
  api.post(`/api/distributions/${eventId}/complete`, reason === undefined ? {} : { reason }, { as: admin });

async function created(response: Promise<ApiResponse>): Promise<string> {
  const { status, body } = await response;
  if (status !== 201 && status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
  return body.id as string;
}

interface RequestRow {
  id: string;
  status: string;
  amount: string;
  decision_reason: string | null;
  decided_by: string | null;
  payment_reference: string | null;
}

async function requestsOf(eventId: string): Promise<RequestRow[]> {
  const { rows } = await sql<RequestRow>`
    SELECT id::text, status, amount::text, decision_reason, decided_by::text, payment_reference
    FROM withdrawal_requests WHERE distribution_event_id = ${eventId}::uuid`.execute(getDb());
  return rows;
}

async function eventRow(eventId: string) {
  const { rows } = await sql<{ status: string; total_pending: string; total_withdrawn: string }>`
    SELECT status, total_pending::text, total_withdrawn::text FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  return rows[0] as { status: string; total_pending: string; total_withdrawn: string };
}

/**
 * Every amount accounted for: each allocation's pending is what its open requests hold, its
 * withdrawn what its paid requests paid, and the rest is available; the event's totals are the
 * sums. Answers the mismatches (none when the books reconcile).
 */
async function reconciliationErrors(eventId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string; allocated: string; withdrawn: string; pending: string; available: string; paid: string; open: string }>`
    SELECT a.id::text, a.allocated_amount::text AS allocated, a.withdrawn_amount::text AS withdrawn,
      a.pending_amount::text AS pending, a.available_amount::text AS available,
      coalesce(sum(w.amount) FILTER (WHERE w.status = 'paid'), 0)::text AS paid,
      coalesce(sum(w.amount) FILTER (WHERE w.status IN ('pending', 'approved')), 0)::text AS open
    FROM distribution_allocations a LEFT JOIN withdrawal_requests w ON w.distribution_allocation_id = a.id
    WHERE a.distribution_event_id = ${eventId}::uuid GROUP BY a.id`.execute(getDb());
  const errors: string[] = [];
  let pending = new Decimal(0);
  let withdrawn = new Decimal(0);
  for (const a of rows) {
    if (!new Decimal(a.pending).equals(a.open)) errors.push(`allocation ${a.id}: pending ${a.pending}, open requests ${a.open}`);
    if (!new Decimal(a.withdrawn).equals(a.paid)) errors.push(`allocation ${a.id}: withdrawn ${a.withdrawn}, paid requests ${a.paid}`);
    if (!new Decimal(a.allocated).minus(a.withdrawn).minus(a.pending).equals(a.available)) errors.push(`allocation ${a.id}: available ${a.available}`);
    pending = pending.plus(a.pending);
    withdrawn = withdrawn.plus(a.withdrawn);
  }
  const event = await eventRow(eventId);
  if (!pending.equals(event.total_pending)) errors.push(`event: total_pending ${event.total_pending}, allocations ${pending.toFixed(7)}`);
  if (!withdrawn.equals(event.total_withdrawn)) errors.push(`event: total_withdrawn ${event.total_withdrawn}, allocations ${withdrawn.toFixed(7)}`);
  return errors;
}

async function auditRows(eventId: string) {
  const { rows: activity } = await sql<{ withdrawal_request_id: string; performed_by: string; previous_status: string; new_status: string; changes_summary: unknown }>`
    SELECT withdrawal_request_id::text, performed_by::text, previous_status, new_status, changes_summary
    FROM distribution_activity_log WHERE distribution_event_id = ${eventId}::uuid AND activity_type = 'withdrawal_rejected'`.execute(getDb());
  const { rows: actions } = await sql<{ admin_id: string; target: unknown; details: unknown }>`
    SELECT admin_id::text, target, details FROM audit_admin_actions
    WHERE action = 'withdrawal.reject' AND target->>'distribution_event_id' = ${eventId}`.execute(getDb());
  return { activity, actions };
}

const parsed = (json: unknown) => (typeof json === 'string' ? JSON.parse(json) : json);

describe('completing an active event', () => {
  it('rejects every open request in the same transaction, each audited, with the completion reason', async () => {
    // Prepare
    const { admin, projectId, holders } = await projectWithHolders(2);
    const [alice, bob] = holders as [TestUser, TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
    const ids = [
      await created(withdraw(alice, allocationOf(alice), '10')),
      await created(withdraw(alice, allocationOf(alice), '20')),
      await created(withdraw(bob, allocationOf(bob), '30')),
    ];

    // Act
    const completed = await complete(admin, eventId, REASON);

    // Assess
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', total_pending: '0.0000000', total_withdrawn: '0.0000000' });
    const requests = await requestsOf(eventId);
    expect(requests.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const request of requests) {
      expect(request).toMatchObject({ status: 'rejected', decision_reason: REASON, decided_by: admin.id });
    }
    expect(await reconciliationErrors(eventId)).toEqual([]);
    const { activity, actions } = await auditRows(eventId);
    expect(activity.map((a) => a.withdrawal_request_id).sort()).toEqual([...ids].sort());
    for (const row of activity) {
      expect(row).toMatchObject({ performed_by: admin.id, previous_status: 'pending', new_status: 'rejected' });
      expect(parsed(row.changes_summary)).toMatchObject({ reason: REASON });
    }
    expect(actions.map((a) => (parsed(a.target) as { withdrawal_request_id: string }).withdrawal_request_id).sort()).toEqual([...ids].sort());
    const amounts = actions.map((a) => (parsed(a.details) as { amount: string }).amount).sort();
    expect(amounts).toEqual(['10.0000000', '20.0000000', '30.0000000']);
    for (const action of actions) {
      expect(action.admin_id).toBe(admin.id);
      expect(parsed(action.details)).toMatchObject({ previous_status: 'pending', new_status: 'rejected', reason: REASON, cause: 'distribution.complete' });
    }
  });

  it('is held open by no LP: 200 tiny withdrawals, then complete at the first attempt', async () => {
    // Prepare
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders, '1');
    const responses = await Promise.all(Array.from({ length: 200 }, () => withdraw(lp, allocationOf(lp), '0.0000001')));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(200);

    // Act
    const completed = await complete(admin, eventId, REASON);

    // Assess
    expect(completed.status).toBe(200);
    const requests = await requestsOf(eventId);
    expect(requests).toHaveLength(200);
    expect(requests.every((r) => r.status === 'rejected' && r.decision_reason === REASON)).toBe(true);
    expect(await eventRow(eventId)).toEqual({ status: 'completed', total_pending: '0.0000000', total_withdrawn: '0.0000000' });
    expect(await reconciliationErrors(eventId)).toEqual([]);
    const { activity, actions } = await auditRows(eventId);
    expect(activity).toHaveLength(200);
    expect(actions).toHaveLength(200);
  }, 120_000);

  it('refuses while an approved request awaits its payment, writing nothing, and completes once it is paid', async () => {
    // Prepare
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
    const approved = await created(withdraw(lp, allocationOf(lp), '3'));
    await approve(admin, approved);
    const pending = await created(withdraw(lp, allocationOf(lp), '4'));
    const before = await rowCounts();

    // Act
    const refused = await complete(admin, eventId, REASON);
    const afterRefusal = await rowCounts();
    const paid = await pay(admin, approved, 'NIP-1');
    const completed = await complete(admin, eventId, REASON);

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ approved_unpaid_requests: 1, approved_unpaid_amount: '3.0000000' });
    expect(refused.body.detail).toMatch(/^Approved withdrawal requests await their payment/);
    expect(afterRefusal).toEqual(before);
    expect(paid.status).toBe(200);
    expect(completed.status).toBe(200);
    const byId = new Map((await requestsOf(eventId)).map((r) => [r.id, r]));
    expect(byId.get(approved)?.status).toBe('paid');
    expect(byId.get(pending)).toMatchObject({ status: 'rejected', decision_reason: REASON });
    expect(await reconciliationErrors(eventId)).toEqual([]);
  });

  it('still needs a reason when anything is not withdrawn, and leaves the open requests as they were', async () => {
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
    await created(withdraw(lp, allocationOf(lp), '5'));
    const before = await rowCounts();

    const refused = await complete(admin, eventId);

    expect(refused.status).toBe(409);
    expect(await rowCounts()).toEqual(before);
    expect((await requestsOf(eventId)).map((r) => r.status)).toEqual(['pending']);
    expect((await eventRow(eventId)).status).toBe('active');
  });
});

describe('a withdrawal racing the completion', () => {
  it('is refused when it read the event as active while the completion was committing, not landed on it', async () => {
    // Prepare: the completion pauses after taking the event's lock, at its first row naming the admin
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);

    // Act
    const [completed, requested] = await whileUserRowLocked(admin.id, async () => {
      const completion = complete(admin, eventId, REASON);
      await lockWaiters(1, completion);
      const request = withdraw(lp, allocationOf(lp), '10');
      await lockWaiters(2, request);
      return [completion, request] as const;
    });

    // Assess
    expect((await completed).status).toBe(200);
    const refused = await requested;
    expect(refused.status).toBe(409);
    expect(refused.body.current_status).toBe('completed');
    expect(await requestsOf(eventId)).toEqual([]);
    expect(await eventRow(eventId)).toEqual({ status: 'completed', total_pending: '0.0000000', total_withdrawn: '0.0000000' });
  });

  it.each([
    { decision: 'approve', act: (admin: TestUser, id: string) => approve(admin, id) },
    { decision: 'reject', act: (admin: TestUser, id: string) => reject(admin, id, 'Too late') },
  ])('finds the event completed when it waited for the completion to $decision a request it rejected', async ({ act }) => {
    // Prepare
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const other = newUser('admin', 'other-admin');
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
    const id = await created(withdraw(lp, allocationOf(lp), '10'));

    // Act
    const [completed, decided] = await whileUserRowLocked(admin.id, async () => {
      const completion = complete(admin, eventId, REASON);
      await lockWaiters(1, completion);
      const decision = act(other, id);
      await lockWaiters(2, decision);
      return [completion, decision] as const;
    });

    // Assess
    expect((await completed).status).toBe(200);
    expect((await decided).status).toBe(409);
    expect((await requestsOf(eventId))[0]).toMatchObject({ status: 'rejected', decision_reason: REASON, decided_by: admin.id });
    expect(await reconciliationErrors(eventId)).toEqual([]);
  });

  it('lands on no completed event in rounds of a completion racing twelve withdrawals', async () => {
    const { admin, projectId, holders } = await projectWithHolders(6);
    for (let round = 0; round < 8; round++) {
      // Prepare
      const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);

      // Act
      const [completed, ...requested] = await Promise.all([
        complete(admin, eventId, REASON),
        ...holders.flatMap((lp) => [withdraw(lp, allocationOf(lp), '1'), withdraw(lp, allocationOf(lp), '2')]),
      ]);

      // Assess
      expect(completed?.status).toBe(200);
      const accepted = requested.filter((r) => r.status === 201).map((r) => r.body.id as string);
      for (const refused of requested.filter((r) => r.status !== 201)) {
        expect(refused.status).toBe(409);
        expect(refused.body.current_status).toBe('completed');
      }
      const requests = await requestsOf(eventId);
      expect(requests.map((r) => r.id).sort()).toEqual(accepted.sort());
      expect(requests.filter((r) => r.status !== 'rejected' || r.decision_reason !== REASON)).toEqual([]);
      const after = await eventRow(eventId);
      expect(after).toEqual({ status: 'completed', total_pending: completed?.body.total_pending, total_withdrawn: completed?.body.total_withdrawn });
      expect(await reconciliationErrors(eventId)).toEqual([]);
      expect((await auditRows(eventId)).activity).toHaveLength(accepted.length);
    }
  }, 180_000);

  it('changes nothing on a completed event in rounds of a completion racing withdrawals, approvals, rejections and payments', async () => {
    const { admin, projectId, holders } = await projectWithHolders(4);
    for (let round = 0; round < 4; round++) {
      // Prepare: each holder has a request to approve, one to reject and an approved one to pay
      const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
      const prepared = await Promise.all(
        holders.map(async (lp) => {
          const toApprove = await created(withdraw(lp, allocationOf(lp), '1'));
          const toReject = await created(withdraw(lp, allocationOf(lp), '2'));
          const toPay = await created(withdraw(lp, allocationOf(lp), '3'));
          await created(approve(admin, toPay));
          return { toApprove, toReject, toPay };
        }),
      );
      const toApprove = prepared.map((p) => p.toApprove);
      const toReject = prepared.map((p) => p.toReject);
      const toPay = prepared.map((p) => p.toPay);

      // Act: everything at once; then the admin pays what is still approved and completes
      const [completedInRace, approved, rejected, paid, requested] = await Promise.all([
        complete(admin, eventId, REASON),
        Promise.all(toApprove.map((id) => approve(admin, id))),
        Promise.all(toReject.map((id) => reject(admin, id, 'Rejected in the race'))),
        Promise.all(toPay.map((id) => pay(admin, id, `RACE-${id.slice(0, 8)}`))),
        Promise.all(holders.map((lp) => withdraw(lp, allocationOf(lp), '4'))),
      ]);
      let completion = completedInRace;
      if (completion.status !== 200) {
        expect(completion.status).toBe(409);
        for (const request of (await requestsOf(eventId)).filter((r) => r.status === 'approved')) {
          await created(pay(admin, request.id, `LATE-${request.id.slice(0, 8)}`));
        }
        completion = await complete(admin, eventId, REASON);
      }

      // Assess: every answer a success or a 409; each success is what the request ended as
      expect(completion.status).toBe(200);
      const byId = new Map((await requestsOf(eventId)).map((r) => [r.id, r]));
      approved.forEach((response, i) => {
        expect([200, 409]).toContain(response.status);
        if (response.status === 200) expect(byId.get(toApprove[i] as string)?.status).toBe('paid');
      });
      rejected.forEach((response, i) => {
        expect([200, 409]).toContain(response.status);
        if (response.status === 200) expect(byId.get(toReject[i] as string)).toMatchObject({ status: 'rejected', decision_reason: 'Rejected in the race' });
      });
      paid.forEach((response, i) => {
        expect([200, 409]).toContain(response.status);
        if (response.status === 200) expect(byId.get(toPay[i] as string)).toMatchObject({ status: 'paid', payment_reference: response.body.payment_reference });
      });
      for (const response of requested) {
        expect([201, 409]).toContain(response.status);
        if (response.status === 201) expect(byId.get(response.body.id)).toMatchObject({ status: 'rejected', decision_reason: REASON });
      }
      expect([...byId.values()].filter((r) => r.status === 'pending' || r.status === 'approved')).toEqual([]);
      const after = await eventRow(eventId);
      expect(after).toEqual({ status: 'completed', total_pending: completion.body.total_pending, total_withdrawn: completion.body.total_withdrawn });
      expect(await reconciliationErrors(eventId)).toEqual([]);
    }
  }, 180_000);
});

describe('requests left open on an event completed before completions decided them', () => {
  it('can be neither approved, rejected nor paid, and nothing is written', async () => {
    // Prepare: the state the race left behind, a pending and an approved request on a completed event
    const { admin, projectId, holders } = await projectWithHolders(1);
    const [lp] = holders as [TestUser];
    const { eventId, allocationOf } = await activeEvent(admin, projectId, holders);
    const pending = await created(withdraw(lp, allocationOf(lp), '1'));
    const approved = await created(withdraw(lp, allocationOf(lp), '2'));
    await created(approve(admin, approved));
    await sql`UPDATE distribution_events SET status = 'completed', completed_at = now(), completion_reason = 'Completed before the fix'
      WHERE id = ${eventId}::uuid`.execute(getDb());
    const before = await rowCounts();

    // Act
    const responses = [
      await approve(admin, pending),
      await reject(admin, pending, 'Late'),
      await reject(admin, approved, 'Late'),
      await pay(admin, approved, 'NIP-9'),
    ];

    // Assess
    for (const response of responses) {
      expect(response.status).toBe(409);
      expect(response.body.current_status).toBe('completed');
    }
    expect(await rowCounts()).toEqual(before);
    expect((await requestsOf(eventId)).map((r) => r.status).sort()).toEqual(['approved', 'pending']);
  });
});
