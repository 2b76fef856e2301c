import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { type TestUser, useApi } from '../support/api';
import { redeemableHolding } from '../support/fixtures';
import { outboxMessages, reconcileIn } from '../support/outbox';
import { useEventBus } from '../support/domain-events';
import { useQueues } from '../support/queues';
import { auditRows } from '../support/treasury-api';
import { balanceOf } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

/**
 * An error that retrying can only repeat (a numeric overflow, a constraint) fails the request
 * at once with its reason, where it used to be retried for hours. The errors are raised by the
 * real database, by triggers that count how often they fire.
 */
const api = useApi();
const queues = useQueues();
// Domain events go to a local EventBridge bus, approvers' notices to the emulator's SNS topic (issue 12).
useEventBus();
const workflow = useWorkflow({ approvalTimeoutSeconds: 7 * 24 * 3600 });

afterEach(async () => {
  await sql`DROP TRIGGER IF EXISTS fault_permanent ON redemption_requests`.execute(getDb());
  await sql`DROP TRIGGER IF EXISTS fault_permanent ON treasury_pool_transactions`.execute(getDb());
  await sql`DROP FUNCTION IF EXISTS fault_permanent()`.execute(getDb());
  await sql`DROP SEQUENCE IF EXISTS fault_calls`.execute(getDb());
});

/** A trigger function raising `sqlState` and counting its calls (a sequence survives the rollback). */
async function permanentFault(sqlState: string): Promise<() => Promise<number>> {
  await sql`CREATE SEQUENCE fault_calls`.execute(getDb());
  await sql`CREATE FUNCTION fault_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('fault_calls');
      RAISE EXCEPTION 'injected permanent fault' USING ERRCODE = '${sql.raw(sqlState)}';
    END $$`.execute(getDb());
  return async () => {
    const { rows } = await sql<{ n: string }>`SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS n FROM fault_calls`.execute(getDb());
    return Number(rows[0]?.n ?? 0);
  };
}


const redemption = async (id: string, as: TestUser) => (await api.get(`/api/redemptions/${id}`, { as })).body;

describe('a permanent database error', () => {
  it('while planning: the request fails at once with its reason, after one delivery, and its tokens are free', async () => {
    // Prepare: storing the plan violates a constraint (23514), every time
    const { admin, lp, projectId } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100' }, { as: lp });
    const calls = await permanentFault('23514');
    await sql`CREATE TRIGGER fault_permanent BEFORE UPDATE ON redemption_requests
      FOR EACH ROW WHEN (NEW.execution_name IS NOT NULL AND OLD.execution_name IS NULL) EXECUTE FUNCTION fault_permanent()`.execute(getDb());

    // Act
    const deliveries = await queues.drain('planRedemption');
    const again = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100' }, { as: lp });

    // Assess
    expect(deliveries).toBe(1);
    expect(await calls()).toBe(1);
    expect(queues.depth('redemption-dlq')).toBe(0);
    expect(await redemption(requested.body.id, admin)).toMatchObject({
      status: 'failed',
      reason: { code: 'processing_failed' },
      failure_reason: expect.stringMatching(/^It stopped during planning on an error that retrying cannot fix \(database error 23514\)/),
      processed_at: expect.any(String),
    });
    expect(await auditRows('redemption.fail')).toEqual([
      expect.objectContaining({ admin_id: null, details: expect.objectContaining({ step: 'planning', sql_state: '23514', previous_status: 'pending' }) }),
    ]);
    expect((await outboxMessages()).map((message) => message.kind)).not.toContain('redemption.start-workflow');
    expect(again.status).toBe(202);
  });

  it('while executing: the request fails at once, the state machine does not retry, and nothing moves', async () => {
    // Prepare: paying the buyback overflows (22003), every time
    const { admin, lp, projectId, pool } = await redeemableHolding(api);
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '10' }, { as: lp });
    await queues.drain('planRedemption');
    for (let i = 0; (await redemption(requested.body.id, lp)).status !== 'awaiting_approval'; i++) {
      if (i > 100) throw new Error('never reached the approval step');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const calls = await permanentFault('22003');
    await sql`CREATE TRIGGER fault_permanent BEFORE INSERT ON treasury_pool_transactions
      FOR EACH ROW WHEN (NEW.redemption_request_id IS NOT NULL) EXECUTE FUNCTION fault_permanent()`.execute(getDb());

    // Act
    const approved = await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    await workflow.settled();
    const report = await reconcileIn(60);

    // Assess
    expect(approved.status).toBe(200);
    // Settled and FAILED after one call: no retry ran, and none is left to run.
    expect(await calls()).toBe(1);
    expect(workflow.describe(`redemption-${requested.body.id}`)).toMatchObject({ status: 'FAILED' });
    expect(await redemption(requested.body.id, admin)).toMatchObject({
      status: 'failed',
      reason: { code: 'processing_failed' },
      failure_reason: expect.stringMatching(/^It stopped during execution on an error that retrying cannot fix \(database error 22003\)/),
    });
    expect(await auditRows('redemption.fail')).toEqual([
      expect.objectContaining({ admin_id: null, details: expect.objectContaining({ step: 'execution', sql_state: '22003', previous_status: 'processing' }) }),
    ]);
    expect(report.healed).toEqual([]);
    expect(await balanceOf(pool)).toBe('1000.00');
    const holders = await api.get(`/api/projects/${projectId}/holders`, { as: admin });
    expect(holders.body.items).toEqual([expect.objectContaining({ holder_id: lp.id, balance: '100.0000000' })]);
  });
});
