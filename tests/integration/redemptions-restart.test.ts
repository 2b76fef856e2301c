import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { balanceOf, fundedWallet, setNav } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

/** An LP with 10 tokens at NAV 3 asks to redeem 5; the request is planned and its workflow waits for a human. */
async function waitingRedemption() {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
  await setNav(projectId, '3');
  const pool = await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '1000.00' });
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
});
