import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { openRedemptionTokens } from '../../shared/redemptions/redemptions.repository';
import { describeExecution, executionArnOf } from '../../shared/workflow/step-functions';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, redeemableHolding, seedHolders } from '../support/fixtures';
import { useFaultProxies } from '../support/fault-proxy';
import { outboxMessages, reconcileIn, relayIn, relayNow, waitingRows } from '../support/outbox';
import { useEventBus } from '../support/domain-events';
import { useQueues } from '../support/queues';
import { auditRows } from '../support/treasury-api';
import { balanceOf } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

/**
 * A state change commits, then the call that should follow it fails: SQS or Step Functions is
 * unreachable (a proxy in front of the real endpoint drops the connection). Each test ends with
 * every row settled, or waiting on a person within their window, and nothing lost.
 */
const api = useApi();
const queues = useQueues();
// Domain events go to a local EventBridge bus, approvers' notices to the emulator's SNS topic (issue 12).
useEventBus();
useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });
const faults = useFaultProxies();

afterEach(() => {
  faults.sqs.up();
  faults.sfn.up();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


const redemption = async (id: string, as: TestUser) => (await api.get(`/api/redemptions/${id}`, { as })).body;
const statusOf = (id: string, as: TestUser) => async () => (await redemption(id, as)).status as string;

async function holding(projectId: string, holderId: string): Promise<string> {
  const { rows } = await sql<{ balance: string }>`SELECT lp_tokens_allocated::text AS balance FROM lp_token_balances
    WHERE project_id = ${projectId}::uuid AND lp_token_holder_id = ${holderId}::uuid`.execute(getDb());
  return rows[0]?.balance ?? '0';
}

/** Requests 10 tokens (20.00) and waits until the workflow waits for a decision. */
async function awaitingApproval(lp: TestUser, projectId: string): Promise<string> {
  const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
  await queues.drain('planRedemption');
  await until(statusOf(requested.body.id, lp), (status) => status === 'awaiting_approval', 'the approval step');
  return requested.body.id as string;
}

describe('a hand-off that fails after its commit', () => {
  it('calculation: SQS is down when it is requested; the relay sends it once SQS is back and it completes', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2', '3']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '60' });
    faults.sqs.down();

    // Act
    const accepted = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    const afterCommit = await outboxMessages();
    faults.sqs.up();
    const relayed = await relayIn(2);
    await queues.drainCalculations();

    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('calculating');
    expect(afterCommit).toEqual([expect.objectContaining({ kind: 'distribution.calculate', status: 'pending', attempts: 1, last_error: expect.any(String) })]);
    expect(relayed).toMatchObject({ delivered: 1, retrying: 0, dead: 0 });
    const event = await api.get(`/api/distributions/${eventId}`, { as: admin });
    expect(event.body).toMatchObject({ status: 'calculated', total_allocated: '60.0000000' });
    await relayNow(); // the relay's next run puts the calculation's domain event on the bus
    expect(await waitingRows()).toEqual([]);
  });

  it('redemption request: SQS is down when it is made; it is planned once the relay has sent it', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    faults.sqs.down();

    // Act
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    faults.sqs.up();
    await relayIn(2);
    await queues.drain('planRedemption');
    const waiting = await until(statusOf(requested.body.id, lp), (status) => status === 'awaiting_approval', 'the approval step');
    await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    const final = await until(statusOf(requested.body.id, lp), (status) => status === 'completed', 'completion');

    // Assess
    expect(requested.status).toBe(202);
    expect(faults.sqs.refused).toBeGreaterThan(0);
    expect(waiting).toBe('awaiting_approval');
    expect(final).toBe('completed');
    expect(await holding(projectId, lp.id)).toBe('90.0000000');
    expect(await balanceOf(pool)).toBe('980.00');
    await relayNow(); // the relay's next run puts the redemption's domain events on the bus
    expect(await waitingRows()).toEqual([]);
  });

  it('StartExecution: Step Functions is down when the request is planned; the relay starts the workflow', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    faults.sfn.down();

    // Act
    await queues.drain('planRedemption');
    const planned = await redemption(requested.body.id, admin);
    const start = (await outboxMessages()).find((message) => message.kind === 'redemption.start-workflow');
    faults.sfn.up();
    await relayIn(2);
    await until(statusOf(requested.body.id, lp), (status) => status === 'awaiting_approval', 'the approval step');
    await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await until(statusOf(requested.body.id, lp), (status) => status === 'completed', 'completion');

    // Assess: planned and its start recorded together; the queue message was consumed all the same
    expect(planned.status).toBe('pending');
    expect(planned.funding_plan.shortfall_ngnts).toBe('0.00');
    expect(start).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.any(String) });
    expect(queues.depth('redemption') + queues.depth('redemption-dlq')).toBe(0);
    expect(await balanceOf(pool)).toBe('980.00');
    await relayNow(); // the relay's next run puts the redemption's domain events on the bus
    expect(await waitingRows()).toEqual([]);
  });

  it('SendTaskSuccess: Step Functions is down when an admin approves; the relay hands the approval over and it executes', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const id = await awaitingApproval(lp, projectId);
    await relayNow(); // the request's domain events are on the bus: what the relay delivers below is the approval
    faults.sfn.down();

    // Act
    const approved = await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });
    const handoff = (await outboxMessages()).find((message) => message.kind === 'redemption.approve');
    faults.sfn.up();
    const relayed = await relayIn(2);
    await until(statusOf(id, lp), (status) => status === 'completed', 'completion');
    await relayNow(); // and the completion's domain event

    // Assess
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('processing');
    expect(handoff).toMatchObject({ status: 'pending', attempts: 1 });
    // The approval; its execution may have completed in time for the same run to put its event on the bus.
    expect(relayed.delivered).toBeGreaterThanOrEqual(1);
    expect((await outboxMessages()).find((message) => message.kind === 'redemption.approve')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await holding(projectId, lp.id)).toBe('90.0000000');
    expect(await balanceOf(pool)).toBe('980.00');
    expect((await auditRows('redemption.approve')).length + (await auditRows('redemption.execute')).length).toBe(2);
    expect(await waitingRows()).toEqual([]);
  });
});

describe('an approval the workflow no longer waits for', () => {
  // The endpoint answers InvalidToken for a token no execution waits on, as Step Functions does.
  const orphanToken = (id: string) => sql`UPDATE redemption_requests SET task_token = 'no-execution-waits-on-this' WHERE id = ${id}::uuid`.execute(getDb());

  it('delivered by the API: the request is rejected as expired, audited, and the admin gets a 409', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const id = await awaitingApproval(lp, projectId);
    await orphanToken(id);

    // Act
    const approved = await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });

    // Assess
    expect(approved.status).toBe(409);
    expect(await redemption(id, admin)).toMatchObject({ status: 'rejected', reason: { code: 'approval_expired' }, rejection_reason: expect.stringMatching(/^Expired/) });
    expect((await auditRows('redemption.approval_expired')).map((row) => row.admin_id)).toEqual([admin.id]);
    expect((await outboxMessages()).find((message) => message.kind === 'redemption.approve')?.status).toBe('refused');
    expect(await balanceOf(pool)).toBe('1000.00');
    expect(await holding(projectId, lp.id)).toBe('100.0000000');
    await relayNow(); // the relay's next run puts the rejection's domain event on the bus
    expect(await waitingRows()).toEqual([]);
  });

  it('delivered by the relay: the same consequence, after the admin was told it is processing', async () => {
    // Prepare
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const id = await awaitingApproval(lp, projectId);
    await orphanToken(id);
    await relayNow(); // the request's domain events are on the bus: what the relay does below is the approval's
    faults.sfn.down();

    // Act
    const approved = await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });
    faults.sfn.up();
    const relayed = await relayIn(2);

    // Assess
    expect(approved.status).toBe(200);
    // The approval refused; the rejection it caused records its domain event, which the same run puts on the bus.
    expect(relayed).toMatchObject({ refused: 1, delivered: 1 });
    expect(await redemption(id, admin)).toMatchObject({ status: 'rejected', reason: { code: 'approval_expired' }, rejection_reason: expect.stringMatching(/^Expired/) });
    expect((await auditRows('redemption.approval_expired')).map((row) => row.admin_id)).toEqual([admin.id]);
    expect(await balanceOf(pool)).toBe('1000.00');
    expect(await waitingRows()).toEqual([]);
  });
});

describe('work the reconciler heals', () => {
  it('Execute fails on every retry: the execution fails, and the reconciler fails the request, frees the tokens and audits it', { timeout: 120_000 }, async () => {
    // Prepare: paying the buyback fails every time, as if the database refused it for a while.
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const id = await awaitingApproval(lp, projectId);
    await sql`CREATE FUNCTION fault_refuse_buyback() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault: the buyback cannot be written'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_refuse_buyback BEFORE INSERT ON treasury_pool_transactions
      FOR EACH ROW WHEN (NEW.redemption_request_id IS NOT NULL) EXECUTE FUNCTION fault_refuse_buyback()`.execute(getDb());
    try {
      // Act: the state machine retries Execute (2 + 4 + 8 + 16 s) and the execution fails.
      await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });
      const stuck = await until(
        () => describeExecution(executionArnOf(process.env.REDEMPTION_STATE_MACHINE_ARN ?? '', `redemption-${id}`)),
        (description) => description?.status !== 'RUNNING',
        'the execution to fail',
        90_000,
      );
      const beforeReconcile = await redemption(id, lp);
      const report = await reconcileIn(20);

      // Assess
      expect(stuck?.status).toBe('FAILED');
      expect(beforeReconcile.status).toBe('processing');
      expect(report.healed).toEqual([expect.objectContaining({ kind: 'redemption-failed', subjectId: id })]);
      expect(await redemption(id, lp)).toMatchObject({ status: 'failed', reason: { code: 'processing_failed', message: expect.stringContaining('Nothing was moved') } });
      expect(await auditRows('redemption.fail')).toEqual([
        expect.objectContaining({ admin_id: null, details: expect.objectContaining({ previous_status: 'processing', execution_status: 'FAILED' }) }),
      ]);
      expect(await openRedemptionTokens(getDb(), lp.id, projectId)).toBe('0.0000000'); // the 10 tokens are free again
      expect(await holding(projectId, lp.id)).toBe('100.0000000');
      expect(await balanceOf(pool)).toBe('1000.00');
      await relayNow(); // the relay's next run puts the failure's domain event on the bus
      expect(await waitingRows()).toEqual([]);
    } finally {
      await sql`DROP TRIGGER fault_refuse_buyback ON treasury_pool_transactions`.execute(getDb());
      await sql`DROP FUNCTION fault_refuse_buyback()`.execute(getDb());
    }
  });

  it('a calculation whose message was lost: re-sent by the reconciler past the worker timeout, and it finishes', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['5', '5']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '10' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge(); // the message is lost after SQS took it

    // Act
    const early = await reconcileIn(1);
    const late = await reconcileIn(7);
    await relayIn(7);
    await queues.drainCalculations();

    // Assess
    expect(early.healed).toEqual([]);
    expect(late.healed).toEqual([expect.objectContaining({ kind: 'calculation-requeued', subjectId: eventId })]);
    expect((await api.get(`/api/distributions/${eventId}`, { as: admin })).body).toMatchObject({ status: 'calculated', total_allocated: '10.0000000' });
    await relayNow(); // the relay's next run puts the calculation's domain event on the bus
    expect(await waitingRows()).toEqual([]);
  });
});
