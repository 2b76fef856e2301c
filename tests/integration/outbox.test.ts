import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { recordForRelay, recordHandoff } from '../../shared/outbox/handoff';
import { calculationHandoff, workflowStartHandoff } from '../../shared/outbox/handoffs';
import type { OutboxMessage } from '../../shared/outbox/message';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, seedHolders } from '../support/fixtures';
import { useFaultProxies } from '../support/fault-proxy';
import { outboxMessages, relayIn, relayNow } from '../support/outbox';
import { useEventBus } from '../support/domain-events';
import { useQueues } from '../support/queues';
import { fundedWallet, setNav } from '../support/treasury-fixtures';
import { useLambdaRuntime } from '../support/runtime';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
// Domain events go to a local EventBridge bus, approvers' notices to the emulator's SNS topic (issue 12).
useEventBus();
useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });
const lambdas = useLambdaRuntime();
const faults = useFaultProxies();

afterEach(() => {
  faults.sqs.up();
  queues.purge();
});

const forRelay = (message: OutboxMessage) => recordForRelay(getDb(), message);

describe('the relay', () => {
  it('marks a message that can never be delivered dead, with its error, and never tries it again', async () => {
    // Prepare: SQS refuses a body with a character outside its allowed set (U+FFFF).
    await forRelay({ kind: 'test.invalid', subjectId: randomUUID(), destination: 'sqs', payload: { queue: 'allocation', body: { note: '\uffff' } } });

    // Act
    const first = await relayIn(1);
    const later = await relayIn(60);

    // Assess
    expect(first).toMatchObject({ dead: 1, delivered: 0, retrying: 0 });
    expect(later).toMatchObject({ dead: 0, delivered: 0, retrying: 0 });
    expect(await outboxMessages()).toEqual([expect.objectContaining({ status: 'dead', attempts: 1, last_error: expect.stringContaining('InvalidMessageContents') })]);
    expect(queues.depth('allocation')).toBe(0);
  });

  it('retries a message after a transient failure only once its backoff has passed, until it is delivered', async () => {
    // Prepare
    await forRelay(calculationHandoff(randomUUID()));
    faults.sqs.down();

    // Act: tried at +1 min, fails; its next try is 30 to 36 s later
    const failed = await relayIn(1);
    const tooSoon = await relayIn(1.4);
    faults.sqs.up();
    const due = await relayIn(2);

    // Assess
    expect(failed).toMatchObject({ retrying: 1 });
    expect(tooSoon).toMatchObject({ retrying: 0, delivered: 0 });
    expect(due).toMatchObject({ delivered: 1 });
    expect(await outboxMessages()).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2, last_error: null })]);
    expect(queues.depth('allocation')).toBe(1);
  });

  it('leaves a new message to its producer first: the relay takes it only after the producer’s turn', async () => {
    // Prepare: recorded as a producer does, in a transaction, and never delivered by it
    const message = calculationHandoff(randomUUID());
    await getDb().transaction().execute((trx) => recordHandoff(trx, message));

    // Act
    const duringTurn = await relayIn(0.25);
    const afterTurn = await relayIn(1);

    // Assess
    expect(duringTurn.delivered).toBe(0);
    expect(afterTurn.delivered).toBe(1);
  });

  it('delivers each message once when two runs overlap', async () => {
    // Prepare
    for (let i = 0; i < 12; i++) await forRelay(calculationHandoff(randomUUID()));

    // Act
    const [a, b] = await Promise.all([relayIn(1), relayIn(1)]);

    // Assess
    expect(a.delivered + b.delivered).toBe(12);
    expect(queues.depth('allocation')).toBe(12);
    expect((await outboxMessages()).every((message) => message.status === 'delivered' && message.attempts === 1)).toBe(true);
  });

  it('counts a start as delivered when Step Functions already has an execution of that name', async () => {
    // Prepare: a request taken through its workflow to the end, then its start sent again
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    await setNav(projectId, '1');
    await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '100.00' });
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '1' }, { as: lp });
    await queues.drain('planRedemption');
    for (let i = 0; (await api.get(`/api/redemptions/${requested.body.id}`, { as: lp })).body.status !== 'awaiting_approval'; i++) {
      if (i > 100) throw new Error('never reached the approval step');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await api.post(`/api/redemptions/${requested.body.id}/reject`, { reason: 'test' }, { as: admin });
    await relayNow(); // its domain events are on the bus: what the relay delivers below is the start
    await forRelay(workflowStartHandoff(requested.body.id, `redemption-${requested.body.id}`));

    // Act
    const relayed = await relayIn(1);

    // Assess
    expect(relayed).toMatchObject({ delivered: 1, dead: 0, retrying: 0 });
  });

  it('deletes delivered messages a week after delivery, never pending or dead ones', async () => {
    // Prepare
    await forRelay(calculationHandoff(randomUUID()));
    await relayIn(1);
    await forRelay({ kind: 'test.invalid', subjectId: randomUUID(), destination: 'sqs', payload: { queue: 'allocation', body: { note: '\uffff' } } });
    await relayIn(1);
    faults.sqs.down();
    await forRelay(calculationHandoff(randomUUID()));

    // Act
    const week = await relayIn(8 * 24 * 60);

    // Assess
    expect(week.purged).toBe(1);
    expect((await outboxMessages()).map((message) => message.status).sort()).toEqual(['dead', 'pending']);
  });

  it('runs as the scheduled function the schedule table names, with an EventBridge event', async () => {
    // Prepare: a message for the relay alone, due at once
    await forRelay(calculationHandoff(randomUUID()));

    // Act
    await lambdas.runSchedule('relayOutbox');

    // Assess
    expect(await outboxMessages()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(queues.depth('allocation')).toBe(1);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_messages WHERE locked_until IS NOT NULL`.execute(getDb());
    expect(rows[0]?.n).toBe(0);
  });
});
