import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalStepFunctions } from '../../local/step-functions';
import { getDb } from '../../shared/db/client';
import { calculateAllocations } from '../../shared/distributions/calculation/calculate-allocations';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, redeemableHolding, seedHolders } from '../support/fixtures';
import { useFaultProxies } from '../support/fault-proxy';
import { outboxMessages, reconcileIn, relayIn, relayNow, waitingRows } from '../support/outbox';
import { useEventBus } from '../support/domain-events';
import { useQueues } from '../support/queues';
import { auditRows } from '../support/treasury-api';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
// Domain events go to a local EventBridge bus, approvers' notices to the emulator's SNS topic (issue 12).
useEventBus();
const workflow = useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });
const faults = useFaultProxies();

afterEach(() => {
  faults.sfn.up();
  queues.purge();
});

const WEEK_MINUTES = 7 * 24 * 60;


const redemption = async (id: string, as: TestUser) => (await api.get(`/api/redemptions/${id}`, { as })).body;

async function untilStatus(id: string, as: TestUser, status: string) {
  for (let i = 0; i < 200; i++) {
    if ((await redemption(id, as)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redemption ${id} never became ${status}`);
}

describe('the reconciler, on calculations', () => {
  it('fails a calculation with its reason after three heals that brought no progress', async () => {
    // Prepare: every message for this calculation is lost
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '1' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();

    // Act: a run every 7 minutes (past the worker's timeout); the relay sends each heal, and it is lost again
    const healed: string[] = [];
    for (const minutes of [7, 14, 21, 28]) {
      healed.push(...(await reconcileIn(minutes)).healed.map((finding) => finding.kind));
      await relayIn(minutes);
      queues.purge();
    }
    const afterwards = await reconcileIn(35);

    // Assess
    expect(healed).toEqual(['calculation-requeued', 'calculation-requeued', 'calculation-requeued', 'calculation-failed']);
    const event = await api.get(`/api/distributions/${eventId}`, { as: admin });
    expect(event.body).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^No progress for \d+ minutes, though sent to the worker again 3 times/) });
    const activity = await api.get(`/api/distributions/${eventId}/activity`, { as: admin });
    expect(activity.body.items.map((item: { activity_type: string }) => item.activity_type)).toContain('calculation_failed');
    expect(afterwards.healed).toEqual([]);
    const { rows } = await sql`SELECT 1 FROM reconciler_observations`.execute(getDb());
    expect(rows).toEqual([]);
    expect(await waitingRows()).toEqual([]);
  });

  it('counts the time without progress from the last change it saw: a step of the worker starts it over', async () => {
    // Prepare: the calculation's message is lost after one step of the worker
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '3' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();

    // Act
    const before = await reconcileIn(1);
    await calculateAllocations(getDb(), eventId, { chunkSize: 1, hasTimeLeft: () => false });
    const afterStep = await reconcileIn(7);
    const stalled = await reconcileIn(14);

    // Assess: 7 minutes after the step it saw at +7, it heals
    expect(before.healed).toEqual([]);
    expect(afterStep.healed).toEqual([]);
    expect(stalled.healed).toEqual([expect.objectContaining({ kind: 'calculation-requeued', subjectId: eventId })]);
    await relayIn(14);
    await queues.drainCalculations();
    expect((await api.get(`/api/distributions/${eventId}`, { as: admin })).body.status).toBe('calculated');
  });

  it('leaves a calculation whose message still waits in the outbox to the relay, and reports the message', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '3' });
    faults.sqs.down();
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    faults.sqs.up();

    // Act
    const whileInOutbox = await reconcileIn(30);

    // Assess
    expect(whileInOutbox.healed).toEqual([]);
    expect(whileInOutbox.unhealed).toEqual([expect.objectContaining({ kind: 'outbox-undelivered', subjectId: eventId })]);
    await relayIn(30);
    await queues.drainCalculations();
    expect((await api.get(`/api/distributions/${eventId}`, { as: admin })).body.status).toBe('calculated');
  });
});

describe('the reconciler, on redemptions', () => {
  it('sends a pending request that was never planned to the planning queue again, and it goes through', async () => {
    // Prepare
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    queues.purge();

    // Act
    const report = await reconcileIn(10);
    await relayIn(10);
    await queues.drain('planRedemption');
    await untilStatus(requested.body.id, lp, 'awaiting_approval');
    await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await untilStatus(requested.body.id, lp, 'completed');

    await relayNow(); // the relay's next run puts the redemption's domain events on the bus

    // Assess
    expect(report.healed).toEqual([expect.objectContaining({ kind: 'redemption-requeued', subjectId: requested.body.id })]);
    expect(await waitingRows()).toEqual([]);
  });

  it('fails a request whose planning never happens after three heals, and frees its tokens', async () => {
    // Prepare
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100' }, { as: lp });
    queues.purge();

    // Act
    const healed: string[] = [];
    for (const minutes of [10, 20, 30, 40]) {
      healed.push(...(await reconcileIn(minutes)).healed.map((finding) => finding.kind));
      await relayIn(minutes);
      queues.purge();
    }
    const again = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100' }, { as: lp });

    // Assess
    expect(healed).toEqual(['redemption-requeued', 'redemption-requeued', 'redemption-requeued', 'redemption-failed']);
    expect(await redemption(requested.body.id, admin)).toMatchObject({ status: 'failed', reason: { code: 'processing_failed' }, failure_reason: expect.stringMatching(/^It could not be planned/) });
    expect(await auditRows('redemption.fail')).toEqual([expect.objectContaining({ admin_id: null })]);
    expect(again.status).toBe(202);
    queues.purge();
  });

  it('fails a request whose workflow start can never be delivered', async () => {
    // Prepare: planned while Step Functions is down; the start it recorded is one no service would
    // accept (an execution name over 80 characters), so the relay marks it dead.
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    faults.sfn.down();
    await queues.drain('planRedemption');
    faults.sfn.up();
    await sql`UPDATE outbox_messages SET payload = jsonb_set(payload, '{name}', to_jsonb(repeat('x', 81)))
      WHERE kind = 'redemption.start-workflow'`.execute(getDb());

    // Act
    const relayed = await relayIn(2);
    const report = await reconcileIn(10);

    // Assess
    expect(relayed.dead).toBe(1);
    expect(report.healed).toEqual([expect.objectContaining({ kind: 'redemption-failed', subjectId: requested.body.id })]);
    expect(await redemption(requested.body.id, admin)).toMatchObject({ status: 'failed', reason: { code: 'processing_failed' }, failure_reason: expect.stringMatching(/^Its approval workflow could not be started/) });
    const handoffs = (await outboxMessages()).filter((message) => message.kind.startsWith('redemption.'));
    expect(handoffs.map((message) => message.status)).toEqual(['delivered', 'dead']);
  });

  it('fails a request waiting past its window whose workflow Step Functions no longer knows (restarted without it)', async () => {
    // Prepare: the request waits for approval; then the endpoint comes back as a new instance.
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    await queues.drain('planRedemption');
    await untilStatus(requested.body.id, lp, 'awaiting_approval');
    const restarted = await startLocalStepFunctions({ approvalTimeoutSeconds: 7 * 24 * 3600, invokeStep: workflow.invokeStep });
    faults.sfn.retarget(restarted.endpoint);

    try {
      // Act
      const withinWindow = await reconcileIn(60);
      const pastWindow = await reconcileIn(WEEK_MINUTES + 10);

      // Assess
      expect(withinWindow.healed).toEqual([]);
      expect(pastWindow.healed).toEqual([expect.objectContaining({ kind: 'redemption-failed', subjectId: requested.body.id })]);
      expect(await redemption(requested.body.id, admin)).toMatchObject({ status: 'failed', reason: { code: 'processing_failed' }, failure_reason: expect.stringMatching(/cannot be found/) });
      expect(await auditRows('redemption.fail')).toEqual([
        expect.objectContaining({ admin_id: null, details: expect.objectContaining({ previous_status: 'awaiting_approval', execution: 'does not exist' }) }),
      ]);
    } finally {
      faults.sfn.retarget();
      await restarted.stop();
    }
  });

  it('reports a workflow still running past its time instead of touching the request', async () => {
    // Prepare: the request waits for approval; its workflow runs
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    await queues.drain('planRedemption');
    await untilStatus(requested.body.id, lp, 'awaiting_approval');
    await relayNow(); // its domain events are on the bus: the outbox holds nothing undelivered

    // Act: looked at a week and a half later, while the workflow still waits
    const report = await reconcileIn(WEEK_MINUTES + 10);
    await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await untilStatus(requested.body.id, lp, 'completed');

    // Assess
    expect(report.healed).toEqual([]);
    expect(report.unhealed).toEqual([
      expect.objectContaining({ kind: 'redemption-workflow', subjectId: requested.body.id, detail: expect.stringContaining('RUNNING') }),
    ]);
    expect(workflow.describe(`redemption-${requested.body.id}`)?.status).toBe('SUCCEEDED');
  });
});
