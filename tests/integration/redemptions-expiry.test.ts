import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { balanceOf, fundedWallet, setNav } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
// A short approval window: the workflow's timeout path is what is under test.
const workflow = useWorkflow({ approvalTimeoutSeconds: 3 });

describe('a redemption nobody decides', () => {
  it('is rejected as expired when the approval window closes, and nothing moves', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    await setNav(projectId, '3');
    const pool = await fundedWallet({ address: 'expiry-pool', role: 'treasury_pool', balance: '1000.00' });
    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '5' }, { as: lp });

    // Act
    await queues.drain('planRedemption');
    await workflow.settled();
    const late = await api.post(`/api/redemptions/${requested.body.id}/approve`, undefined, { as: admin });
    const read = await api.get(`/api/redemptions/${requested.body.id}`, { as: admin });

    // Assess
    expect(read.body.status).toBe('rejected');
    expect(read.body).toMatchObject({ reason: { code: 'approval_expired' }, rejection_reason: expect.stringMatching(/^Expired/) });
    expect(late.status).toBe(409);
    expect(await balanceOf(pool)).toBe('1000.00');
    expect(workflow.describe(`redemption-${requested.body.id}`)?.status).toBe('SUCCEEDED');
  });
});
