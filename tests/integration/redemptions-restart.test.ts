import { describe, expect, it } from 'vitest';
import type { InvokeStep } from '../../local/step-functions/invoke-step';
import { useApi } from '../support/api';
import { redeemableHolding } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { balanceOf } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
const HOUR = 3600;
const workflow = useWorkflow({ approvalTimeoutSeconds: HOUR });

/** An LP with 10 tokens at NAV 3 asks to redeem 5; the request is planned and its workflow waits for a human. */
async function waitingRedemption() {
  const { admin, lp, pool, projectId } = await redeemableHolding(api, { tokens: '10', nav: '3' });
  const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '5' }, { as: lp });
  await queues.drain('planRedemption');
  const waiting = await until(async () => {
    const read = await api.get(`/api/redemptions/${requested.body.id}`, { as: admin });
    return read.body.status === 'awaiting_approval' ? read.body : undefined;
  });
  return { admin, lp, pool, id: requested.body.id as string, waiting };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('condition not met in time');
}

describe('the local workflow across a restart', () => {
  it('keeps a waiting approval: the admin approves after the restart and the redemption executes', async () => {
    // Prepare
    const { admin, pool, id, waiting } = await waitingRedemption();

    // Act
    await workflow.restart();
    const approved = await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });
    await workflow.settled();
    const done = await api.get(`/api/redemptions/${id}`, { as: admin });

    // Assess
    expect(approved.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.approval_expires_at).toBe(waiting.approval_expires_at);
    expect(await balanceOf(pool)).toBe('985.00');
    expect(workflow.describe(`redemption-${id}`)?.status).toBe('SUCCEEDED');
  });

  it('runs again a step that was running when the process died', async () => {
    // Prepare: the process dies while Execute runs (its invocation never returns)
    const { admin, pool, id } = await waitingRedemption();
    let executeStarted = () => {};
    const executing = new Promise<void>((started) => (executeStarted = started));
    const diesDuringExecute: InvokeStep = (step, payload) => {
      if (step !== 'execute') return workflow.invokeStep(step, payload);
      executeStarted();
      return new Promise(() => {});
    };
    await workflow.restart({ invokeStep: diesDuringExecute });
    const approved = await api.post(`/api/redemptions/${id}/approve`, undefined, { as: admin });
    await executing;

    // Act
    await workflow.restart();
    await workflow.settled();

    // Assess
    expect(approved.status).toBe(200);
    expect((await api.get(`/api/redemptions/${id}`, { as: admin })).body.status).toBe('completed');
    expect(await balanceOf(pool)).toBe('985.00');
    expect(workflow.describe(`redemption-${id}`)?.status).toBe('SUCCEEDED');
  });

  it('counts the approval window from when the state was entered, not from the restart', async () => {
    // Prepare: executions started now carry a 4 s window in their definition
    await workflow.restart({ approvalTimeoutSeconds: 4 });
    const { admin, id, waiting } = await waitingRedemption();
    const expiresAt = new Date(waiting.approval_expires_at).getTime();

    // Act: down for 2 s of the window, then up again (new executions would get an hour)
    await workflow.crash();
    await new Promise((done) => setTimeout(done, 2000));
    const stillWaiting = await api.get(`/api/redemptions/${id}`, { as: admin });
    await workflow.start();
    const expired = await until(async () => {
      const read = await api.get(`/api/redemptions/${id}`, { as: admin });
      return read.body.status === 'rejected' ? { body: read.body, at: Date.now() } : undefined;
    });
    await workflow.settled();

    // Assess: expired on time (a full window after the restart would be 2 s later)
    expect(stillWaiting.body.status).toBe('awaiting_approval');
    expect(expired.body.rejection_reason).toMatch(/^Expired/);
    expect(expired.at).toBeGreaterThanOrEqual(expiresAt);
    expect(expired.at).toBeLessThan(expiresAt + 1500);
    expect(workflow.describe(`redemption-${id}`)?.status).toBe('SUCCEEDED');
  });

  it('gives the approval step the real time it entered it', async () => {
    // Prepare: Validate takes a second
    const slowValidate: InvokeStep = async (step, payload) => {
      if (step === 'validate') await new Promise((done) => setTimeout(done, 1000));
      return workflow.invokeStep(step, payload);
    };
    await workflow.restart({ invokeStep: slowValidate });

    // Act
    const { id, waiting } = await waitingRedemption();

    // Assess: approval_expires_at = $$.State.EnteredTime + the window
    const enteredAt = new Date(waiting.approval_expires_at).getTime() - HOUR * 1000;
    const startedAt = workflow.describe(`redemption-${id}`)?.startDate.getTime() ?? Number.NaN;
    expect(enteredAt - startedAt).toBeGreaterThanOrEqual(1000);
    expect(enteredAt).toBeLessThanOrEqual(Date.now());
  });
});
