import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { navProposals } from '../../shared/nav/nav-proposals';
import { Decimal } from '../../shared/decimal';
import { expectStatus, newUser, type TestUser, useApi } from '../support/api';
import { approversInbox, recordedEvents, useEventBus } from '../support/domain-events';
import { allAllocations, createDistribution, createProject, redeemableHolding, seedHolders } from '../support/fixtures';
import { outboxMessages, relayIn } from '../support/outbox';
import { useQueues } from '../support/queues';
import { useLambdaRuntime } from '../support/runtime';
import { recordCashflow } from '../support/treasury-api';
import { untilAwaitingApproval } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

/**
 * Issue 12: domain events reach the stage's EventBridge bus, and approvers the approvers' SNS
 * topic, through the outbox relay and the real AWS SDK calls: here a local PutEvents endpoint
 * (local/event-bus.ts) and the SNS emulator the local stack runs (fauxqs).
 */
const api = useApi();
const queues = useQueues();
useWorkflow({ approvalTimeoutSeconds: 3600 });
const bus = useEventBus({ faults: true });
const lambdas = useLambdaRuntime();

afterEach(() => queues.purge());


describe('domain events on the event bus', () => {
  it('are put by the relay once each, with the type as detail-type and the detail, its event id inside, as Detail', async () => {
    // Prepare: a distribution through to an early completion, which rejects a pending withdrawal in bulk
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    const eventId = await createDistribution(api, admin, projectId);
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();
    expectStatus('activate', await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin }), 200);
    const [allocation] = await allAllocations(api, admin, eventId);
    expectStatus('request', await api.post(`/api/distributions/allocations/${allocation?.id}/withdrawals`, { amount: '5' }, { as: lp }), 201);
    expectStatus('complete', await api.post(`/api/distributions/${eventId}/complete`, { reason: 'Closing' }, { as: admin }), 200);
    const before = bus.events.length;

    // Act
    const first = await relayIn(1);
    const second = await relayIn(2);

    // Assess
    const recorded = await recordedEvents();
    const put = bus.events.slice(before);
    expect(put.map((event) => event.detail.event_id).sort()).toEqual(recorded.map((event) => event.id).sort());
    for (const event of recorded) {
      expect(put.find((entry) => entry.detail.event_id === event.id)).toMatchObject({
        source: 'tokenstocks.capital-engine',
        detailType: event.type,
        detail: event.detail,
        time: new Date(event.detail.occurred_at),
      });
    }
    expect(put.map((event) => event.detailType)).toEqual(expect.arrayContaining(['withdrawal.rejected', 'distribution.completed']));
    expect(first.dead + first.retrying).toBe(0);
    expect(second.delivered).toBe(0);
  }, 90_000);

  it('are put by the relay as it runs on its schedule, in its function', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const entry = expectStatus('NAV', await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '2', source: 'manual' }, { as: admin }), 201);

    // Act
    await lambdas.runSchedule('relayOutbox');

    // Assess
    expect(bus.events.filter((event) => event.detail.subject_id === entry.id).map((event) => event.detailType)).toEqual(['nav.recorded']);
  });

  it('are retried after their backoff while the bus cannot be reached, then put once', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const before = bus.events.length;
    bus.faults.down();
    const entry = expectStatus('NAV', await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '2', source: 'manual' }, { as: admin }), 201);

    // Act
    const unreachable = await relayIn(1);
    bus.faults.up();
    const tooSoon = await relayIn(1.2);
    const due = await relayIn(2);

    // Assess
    expect(unreachable).toMatchObject({ retrying: 1, delivered: 0 });
    expect(tooSoon).toMatchObject({ retrying: 0, delivered: 0 });
    expect(due).toMatchObject({ delivered: 1 });
    expect(bus.events.slice(before).map((event) => event.detail.subject_id)).toEqual([entry.id]);
    expect(await outboxMessages()).toEqual([expect.objectContaining({ kind: 'domain-event.publish', status: 'delivered', attempts: 2 })]);
  });
});

describe('approvers', () => {
  it('are told of a withdrawal, a redemption, a cashflow and a proposal awaiting them, with what to decide and the route that decides it', async () => {
    // Prepare: one of each kind waiting
    const inbox = await approversInbox();
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '1000' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();
    expectStatus('activate', await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin }), 200);
    const [allocation] = await allAllocations(api, admin, eventId);
    const withdrawal = expectStatus('withdraw', await api.post(`/api/distributions/allocations/${allocation?.id}/withdrawals`, { amount: '250' }, { as: lp }), 201);

    const holding = await redeemableHolding(api);
    const redemption = expectStatus('redeem', await api.post('/api/redemptions', { project_id: holding.projectId, tokens_amount: '10' }, { as: holding.lp }), 202);
    await untilAwaitingApproval(queues, redemption.id);

    const cashflow = await recordCashflow(api, admin, projectId, '1500.50');
    const proposal = await navProposals.propose(getDb(), { id: admin.id, role: 'admin', email: admin.email } as never, projectId, {
      nav_per_token: new Decimal('1.5'),
      source: 'audited',
    });

    // Act
    await relayIn(1);
    const notices = await inbox.receive();
    inbox.close();

    // Assess
    const noticeAbout = (path: string) => notices.find((notice) => notice.message.includes(path));
    expect(notices).toHaveLength(4);
    expect(noticeAbout(`/api/withdrawals/${withdrawal.id}/approve`)).toEqual({
      subject: 'TokenStocks: Withdrawal of 250.0000000 awaits approval',
      message: expect.stringContaining(`reject: POST /api/withdrawals/${withdrawal.id}/reject with {"reason": "…"}`),
    });
    expect(noticeAbout(`/api/redemptions/${redemption.id}/approve`)).toMatchObject({
      subject: 'TokenStocks: Redemption of 20.00 NGNTS awaits approval',
      message: expect.stringMatching(/value_ngnts: 20\.00[\s\S]*Without a decision by /),
    });
    expect(noticeAbout(`/api/cashflows/${cashflow.id}/verify`)).toMatchObject({
      subject: 'TokenStocks: Cashflow of 1500.50 NGNTS awaits verification',
      message: expect.stringContaining(`Who decides: an admin other than its recorder (${admin.id})`),
    });
    expect(noticeAbout(`/api/proposals/${proposal.id}/approve`)).toMatchObject({
      subject: 'TokenStocks: Proposal nav.record awaits a second admin',
      message: expect.stringContaining('nav_per_token: 1.50000000'),
    });
    const approvals = (await recordedEvents()).filter((event) => event.type === 'approval.requested');
    expect(approvals).toHaveLength(4);
    for (const approval of approvals) expect(notices.filter((notice) => notice.message.includes(approval.id))).toHaveLength(1);
  }, 90_000);
});
