import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { failCalculation } from '../../shared/distributions/calculation/fail-calculation';
import { handOff } from '../../shared/outbox/handoff';
import { calculationHandoff, planningHandoff } from '../../shared/outbox/handoffs';
import { failRedemption } from '../../shared/redemptions/fail-redemption';
import { awaitApproval, executeRedemption, rejectFromWorkflow } from '../../shared/redemptions/workflow-steps';
import { expectStatus, newUser, type TestUser, useApi } from '../support/api';
import { eventHandoffs, recordedEvents, typesOf } from '../support/domain-events';
import { allAllocations, createDistribution, createProject, redeemableHolding, refuseAllocationRows, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { recordCashflow } from '../support/treasury-api';
import { untilAwaitingApproval } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

/**
 * Issue 12, item 1: each state change another system cares about is told exactly once, as a
 * domain event recorded with the change, and handed to EventBridge through the outbox; a retry,
 * a redelivered message or a step run again that finds the change made tells nothing more.
 * Item 2: what waits for an approver is told as `approval.requested`.
 */
const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });


/** An active event over two LPs holding 60 and 40 tokens, with 1000 to distribute. */
async function activeDistribution() {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [alice, bob] = (await seedHolders(api, admin, projectId, ['60', '40'])) as [TestUser, TestUser];
  const eventId = await createDistribution(api, admin, projectId, { total_amount: '1000' });
  expectStatus('calculate', await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin }), 202);
  await queues.drainCalculations();
  expectStatus('activate', await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin }), 200);
  const allocations = await allAllocations(api, admin, eventId);
  const allocationOf = (lp: TestUser) => allocations.find((allocation) => allocation.lp_token_holder_id === lp.id)?.id ?? '';
  return { admin, projectId, eventId, alice, bob, allocationOf };
}

/** Every event recorded has exactly one hand-off to EventBridge, carrying its type and detail. */
async function expectEachHandedOffOnce() {
  const events = await recordedEvents();
  const handoffs = await eventHandoffs();
  expect(handoffs.map((handoff) => handoff.subject_id).sort()).toEqual(events.map((event) => event.id).sort());
  for (const event of events) {
    expect(handoffs.find((handoff) => handoff.subject_id === event.id)?.payload).toEqual({ detail_type: event.type, detail: event.detail });
  }
}

describe('a distribution', () => {
  it('is told calculated once though its message comes again, then activated and completed', async () => {
    // Prepare
    const { admin, projectId, eventId, alice, bob, allocationOf } = await activeDistribution();
    const withdrawal = (lp: TestUser, amount: string) =>
      api.post(`/api/distributions/allocations/${allocationOf(lp)}/withdrawals`, { amount }, { as: lp });

    // Act: the calculation's message delivered again once calculated; withdrawals approved and
    // paid, rejected, and left pending until an early completion rejects them
    await handOff(getDb(), calculationHandoff(eventId));
    await queues.drainCalculations();
    const paid = expectStatus('request', await withdrawal(alice, '100'), 201);
    expectStatus('approve', await api.post(`/api/withdrawals/${paid.id}/approve`, undefined, { as: admin }), 200);
    expectStatus('approve again', await api.post(`/api/withdrawals/${paid.id}/approve`, undefined, { as: admin }), 409);
    expectStatus('pay', await api.post(`/api/withdrawals/${paid.id}/payments`, { payment_reference: 'NIP-1' }, { as: admin }), 200);
    const rejected = expectStatus('request', await withdrawal(bob, '10'), 201);
    expectStatus('reject', await api.post(`/api/withdrawals/${rejected.id}/reject`, { reason: 'Wrong account' }, { as: admin }), 200);
    const pending = expectStatus('request', await withdrawal(bob, '20'), 201);
    expectStatus('complete', await api.post(`/api/distributions/${eventId}/complete`, { reason: 'Paid by transfer' }, { as: admin }), 200);
    expectStatus('complete again', await api.post(`/api/distributions/${eventId}/complete`, { reason: 'again' }, { as: admin }), 409);

    // Assess
    expect(await typesOf(eventId)).toEqual(['distribution.calculated', 'distribution.activated', 'distribution.completed']);
    expect(await typesOf(paid.id)).toEqual(['withdrawal.requested', 'approval.requested', 'withdrawal.approved', 'withdrawal.paid']);
    expect(await typesOf(rejected.id)).toEqual(['withdrawal.requested', 'approval.requested', 'withdrawal.rejected']);
    expect(await typesOf(pending.id)).toEqual(['withdrawal.requested', 'approval.requested', 'withdrawal.rejected']);
    const events = await recordedEvents();
    const detailOf = (type: string, subjectId: string) => events.find((event) => event.type === type && event.subject_id === subjectId)?.detail;
    expect(detailOf('distribution.calculated', eventId)).toMatchObject({
      subject_id: eventId,
      distribution_event_id: eventId,
      project_id: projectId,
      total_amount: '1000.0000000',
      total_lp_tokens: '100.0000000',
      holder_count: 2,
      snapshot_hash: expect.stringMatching(/^sha256:/),
    });
    expect(detailOf('distribution.completed', eventId)).toMatchObject({
      reason: 'Paid by transfer',
      rejected_requests: 1,
      total_withdrawn: '100.0000000',
      completed_by: admin.id,
    });
    expect(detailOf('withdrawal.rejected', pending.id)).toMatchObject({
      withdrawal_id: pending.id,
      holder_id: bob.id,
      allocation_id: allocationOf(bob),
      amount: '20.0000000',
      reason: 'Paid by transfer',
      rejected_by: admin.id,
      at_completion: true,
    });
    expect(detailOf('withdrawal.rejected', rejected.id)).toMatchObject({ reason: 'Wrong account', at_completion: false });
    expect(detailOf('withdrawal.paid', paid.id)).toMatchObject({ payment_reference: 'NIP-1', paid_by: admin.id, amount: '100.0000000' });
    expect(detailOf('approval.requested', paid.id)).toMatchObject({
      approval_of: 'withdrawal',
      project_id: projectId,
      decisions: [
        { decision: 'approve', method: 'POST', path: `/api/withdrawals/${paid.id}/approve`, body: null },
        { decision: 'reject', method: 'POST', path: `/api/withdrawals/${paid.id}/reject`, body: expect.stringContaining('reason') },
      ],
    });
    await expectEachHandedOffOnce();
  }, 90_000);

  it('is told cancelled', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const eventId = await createDistribution(api, admin, projectId);

    // Act
    expectStatus('cancel', await api.request('DELETE', `/api/distributions/${eventId}`, { as: admin, body: { cancellation_reason: 'Wrong project' } }), 200);

    // Assess
    expect(await recordedEvents({ subjectId: eventId })).toEqual([
      expect.objectContaining({
        type: 'distribution.cancelled',
        detail: expect.objectContaining({ previous_status: 'draft', reason: 'Wrong project', cancelled_by: admin.id }),
      }),
    ]);
    await expectEachHandedOffOnce();
  });

  it('is told failed once, though the worker meets the failure again and the failure is recorded twice', async () => {
    // Prepare: the database refuses every allocation row with an overflow (SQLSTATE 22003), from a trigger
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['10', '1']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });
    const removeFault = await refuseAllocationRows();
    expectStatus('calculate', await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin }), 202);

    // Act
    try {
      await queues.drainCalculations();
      await handOff(getDb(), calculationHandoff(eventId));
      await queues.drainCalculations();
      await failCalculation(getDb(), { eventId, projectId, requestedBy: admin.id }, 'recorded again');
    } finally {
      await removeFault();
    }

    // Assess
    const events = await recordedEvents({ subjectId: eventId });
    expect(events.map((event) => event.type)).toEqual(['distribution.failed']);
    expect(events[0]?.detail.reason).toMatch(/numeric field overflow/);
    await expectEachHandedOffOnce();
  });
});

describe('a redemption', () => {
  /** Requested, planned, and waiting for a decision. */
  async function awaitingRedemption(tokens = '10') {
    const holding = await redeemableHolding(api);
    const requested = expectStatus('request', await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: tokens }, { as: holding.lp }), 202);
    await untilAwaitingApproval(queues, requested.id);
    return { ...holding, redemptionId: requested.id as string };
  }

  const taskTokenOf = async (id: string) =>
    (await sql<{ task_token: string }>`SELECT task_token FROM redemption_requests WHERE id = ${id}::uuid`.execute(getDb())).rows[0]?.task_token ?? '';

  it('is told requested, awaiting approval once though its planning and its wait run again, and completed once though Execute runs again', async () => {
    // Prepare
    const { admin, lp, projectId, redemptionId } = await awaitingRedemption();

    // Act: the planning message delivered again; the approval step run again with its token;
    // approved; executed; Execute run again
    await handOff(getDb(), planningHandoff(redemptionId));
    await queues.drain('planRedemption');
    await awaitApproval(getDb(), { redemptionId, taskToken: await taskTokenOf(redemptionId), enteredAt: new Date(), timeoutSeconds: 3600 });
    expectStatus('approve', await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: admin }), 200);
    await workflow.settled();
    await executeRedemption(getDb(), redemptionId);

    // Assess
    const events = await recordedEvents({ subjectId: redemptionId });
    expect(events.map((event) => event.type)).toEqual(['redemption.requested', 'redemption.awaiting_approval', 'approval.requested', 'redemption.completed']);
    const [requested, awaiting, approval, completed] = events;
    expect(requested?.detail).toMatchObject({ project_id: projectId, holder_id: lp.id, tokens_amount: '10.0000000', nav_per_token: '2.00000000', value_ngnts: '20.00' });
    expect(awaiting?.detail).toMatchObject({ approval_expires_at: expect.any(String), value_ngnts: '20.00' });
    expect(approval?.detail).toMatchObject({
      approval_of: 'redemption',
      expires_at: awaiting?.detail.approval_expires_at,
      decisions: [
        expect.objectContaining({ decision: 'approve', path: `/api/redemptions/${redemptionId}/approve` }),
        expect.objectContaining({ decision: 'reject', path: `/api/redemptions/${redemptionId}/reject` }),
      ],
    });
    expect(completed?.detail).toMatchObject({ approved_by: admin.id, payments: [expect.objectContaining({ amount_ngnts: '20.00' })] });
    await expectEachHandedOffOnce();
  }, 90_000);

  it('is told rejected once when an admin rejects it, though the workflow then rejects it too', async () => {
    // Prepare
    const { admin, redemptionId } = await awaitingRedemption();

    // Act
    expectStatus('reject', await api.post(`/api/redemptions/${redemptionId}/reject`, { reason: 'Suspicious' }, { as: admin }), 200);
    await workflow.settled();
    await rejectFromWorkflow(getDb(), { redemptionId, error: 'RedemptionRejected', cause: 'Suspicious' });

    // Assess
    const events = await recordedEvents({ subjectId: redemptionId });
    expect(events.map((event) => event.type)).toEqual(['redemption.requested', 'redemption.awaiting_approval', 'approval.requested', 'redemption.rejected']);
    expect(events.at(-1)?.detail).toMatchObject({ reason_code: 'rejected', reason: 'Suspicious', rejected_by: admin.id });
    await expectEachHandedOffOnce();
  });

  it('is told rejected once when it expires, with nobody as the rejecter', async () => {
    // Prepare
    const { redemptionId } = await awaitingRedemption();

    // Act: Expire, as the workflow runs it when the window closes, twice
    await rejectFromWorkflow(getDb(), { redemptionId, error: 'States.Timeout', cause: '' });
    await rejectFromWorkflow(getDb(), { redemptionId, error: 'States.Timeout', cause: '' });

    // Assess
    const events = await recordedEvents({ subjectId: redemptionId });
    expect(events.map((event) => event.type).filter((type) => type === 'redemption.rejected')).toHaveLength(1);
    expect(events.at(-1)?.detail).toMatchObject({ reason_code: 'approval_expired', reason: expect.stringMatching(/^Expired/), rejected_by: null });
  });

  it('is told rejected when the treasury cannot fund it', async () => {
    // Prepare: 100 tokens at NAV 2 are worth 200.00; the pool holds 50.00
    const { lp, projectId } = await redeemableHolding(api, { pool: '50.00' });
    const requested = expectStatus('request', await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100' }, { as: lp }), 202);

    // Act
    await queues.drain('planRedemption');

    // Assess
    const events = await recordedEvents({ subjectId: requested.id });
    expect(events.map((event) => event.type)).toEqual(['redemption.requested', 'redemption.rejected']);
    expect(events[1]?.detail).toMatchObject({ reason_code: 'treasury_unavailable', reason: expect.stringContaining('cannot fund'), rejected_by: null });
  });

  it('is told failed once, though its failure is recorded again', async () => {
    // Prepare
    const { redemptionId } = await awaitingRedemption();
    const failure = { reason: 'It stopped', details: { step: 'test' } };

    // Act
    await failRedemption(getDb(), redemptionId, failure);
    await failRedemption(getDb(), redemptionId, failure);

    // Assess
    expect((await typesOf(redemptionId)).filter((type) => type === 'redemption.failed')).toHaveLength(1);
    expect((await recordedEvents({ subjectId: redemptionId })).at(-1)?.detail).toMatchObject({ reason_code: 'processing_failed', reason: 'It stopped' });
  });
});

describe('the treasury', () => {
  it('asks for a cashflow’s verification when it is recorded, and is told verified', async () => {
    // Prepare
    const recorder = newUser('admin', 'recorder');
    const verifier = newUser('admin', 'verifier');
    const projectId = await createProject(api, recorder);

    // Act
    const cashflow = await recordCashflow(api, recorder, projectId, '1500.50');
    expectStatus('verify', await api.post(`/api/cashflows/${cashflow.id}/verify`, undefined, { as: verifier }), 200);
    expectStatus('verify again', await api.post(`/api/cashflows/${cashflow.id}/verify`, undefined, { as: verifier }), 409);

    // Assess
    const events = await recordedEvents({ subjectId: cashflow.id });
    expect(events.map((event) => event.type)).toEqual(['approval.requested', 'cashflow.verified']);
    expect(events[0]?.detail).toMatchObject({
      approval_of: 'cashflow',
      facts: expect.objectContaining({ amount_ngnts: '1500.50', recorded_by: recorder.id }),
      who_decides: expect.stringContaining('other than'),
      decisions: [{ decision: 'verify', method: 'POST', path: `/api/cashflows/${cashflow.id}/verify`, body: null }],
    });
    expect(events[1]?.detail).toMatchObject({ amount_ngnts: '1500.50', recorded_by: recorder.id, verified_by: verifier.id });
    await expectEachHandedOffOnce();
  });

  it('is told of a NAV recorded', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);

    // Act
    const entry = expectStatus(
      'record NAV',
      await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'audited', effective_at: '2026-01-01T00:00:00Z' }, { as: admin }),
      201,
    );

    // Assess
    expect(await recordedEvents({ subjectId: entry.id })).toEqual([
      expect.objectContaining({
        type: 'nav.recorded',
        detail: expect.objectContaining({
          project_id: projectId,
          nav_per_token: '1.25000000',
          current_nav_per_token: '1.25000000',
          effective_at: '2026-01-01T00:00:00.000Z',
          recorded_by: admin.id,
          approved_by: null,
        }),
      }),
    ]);
    await expectEachHandedOffOnce();
  });
});
