import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

/**
 * Every amount the API accepts fits every column it, and every sum derived from it, is written
 * to later, in a worker or a use case: at the largest value of each quantity the request is
 * accepted and carried through; one unit past it the API refuses it, naming the limit, and
 * writes nothing.
 */
const api = useApi();
const queues = useQueues();

/** The largest value of each type, as the wire writes it. */
const MAX = {
  tokens: '99999999999999999999999.9999999', // numeric(30, 7)
  distribution: '9999999999999.9999999', // numeric(20, 7)
  nav: '9999999999999999999999.99999999', // numeric(30, 8)
};

const EARLY = '2026-01-01T00:00:00Z';

async function setNav(admin: TestUser, projectId: string, navPerToken: string, effectiveAt = EARLY) {
  const response = await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: navPerToken, source: 'audited', effective_at: effectiveAt }, { as: admin });
  if (response.status !== 201) throw new Error(`record NAV: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Calculates an event with the real worker and returns it. */
async function calculate(admin: TestUser, eventId: string) {
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainAllocations();
  return (await api.get(`/api/distributions/${eventId}`, { as: admin })).body;
}

describe('a holding past numeric(20, 7)', () => {
  it('of 10^13 tokens is calculated exactly, not failed as an overflow', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [whale, minnow] = (await seedHolders(api, admin, projectId, ['10000000000000', '1'])) as [TestUser, TestUser];
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });

    // Act
    const event = await calculate(admin, eventId);

    // Assess
    expect(event).toMatchObject({ status: 'calculated', failure_reason: null, snapshot_total_lp_tokens: '10000000000001.0000000' });
    const allocations = await allAllocations(api, admin, eventId);
    // 100 × 10^13 / (10^13 + 1) is 99.9999999 and the largest remainder, which takes the unit left over.
    expect(allocations.find((a) => a.lp_token_holder_id === whale.id)).toMatchObject({
      lp_tokens_held: '10000000000000.0000000',
      allocated_amount: '100.0000000',
    });
    expect(allocations.find((a) => a.lp_token_holder_id === minnow.id)).toMatchObject({ lp_tokens_held: '1.0000000', allocated_amount: '0.0000000' });
  });

  it('of the most a project may issue, with the largest total, is allocated to the unit and withdrawn whole', async () => {
    // Prepare: one holder of every token a project may issue; the largest distribution
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [holder] = (await seedHolders(api, admin, projectId, [MAX.tokens])) as [TestUser];
    const eventId = await createDistribution(api, admin, projectId, { total_amount: MAX.distribution });

    // Act
    const event = await calculate(admin, eventId);
    await api.post(`/api/distributions/${eventId}/activate`, undefined, { as: admin });
    const [allocation] = await allAllocations(api, holder, eventId);
    const withdrawal = await api.post(`/api/distributions/allocations/${allocation?.id}/withdrawals`, { amount: MAX.distribution }, { as: holder });

    // Assess
    expect(event).toMatchObject({ status: 'calculated', snapshot_total_lp_tokens: MAX.tokens, total_allocated: MAX.distribution });
    expect(allocation).toMatchObject({ lp_tokens_held: MAX.tokens, ownership_percentage: '100.0000000', allocated_amount: MAX.distribution });
    expect(withdrawal.status).toBe(201);
    expect((await api.get(`/api/distributions/${eventId}`, { as: admin })).body).toMatchObject({ total_pending: MAX.distribution });
  });
});

describe('the NAV a distribution snapshots', () => {
  it.each([
    { nav: '1.23456789', why: 'with all eight decimals' },
    { nav: MAX.nav, why: 'at the largest NAV, past numeric(20, 7)' },
  ])('is kept $why', async ({ nav }) => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1']);
    await setNav(admin, projectId, nav);
    const eventId = await createDistribution(api, admin, projectId);

    // Act
    const event = await calculate(admin, eventId);

    // Assess
    expect(event).toMatchObject({ status: 'calculated', snapshot_nav: nav });
  });
});

