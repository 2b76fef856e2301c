import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { allAllocations, createDistribution, createProject, moveTokens, registerUser, rowCounts, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { registerPool } from '../support/treasury-api';

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
  ngnts: '9999999999999999999999999999.99', // numeric(30, 2)
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
  await queues.drainCalculations();
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

describe('issuing LP tokens', () => {
  it('takes a holder up to the most a balance can hold; one unit past it is a 422 naming the limit', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [holder] = (await seedHolders(api, admin, projectId, ['99999999999999999999999'])) as [TestUser];
    const upToMax = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '0.9999999' });
    const before = await rowCounts();

    // Act
    const past = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '0.0000001' });

    // Assess
    expect(upToMax.status).toBe(201);
    expect(upToMax.body.balances).toEqual([{ holder_id: holder.id, balance: MAX.tokens }]);
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ type: '/problems/rule-violation', limit: MAX.tokens, detail: expect.stringContaining(MAX.tokens) });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses one that would take the project's supply past the column, though no holder's balance would be", async () => {
    // Prepare: every token a project may issue, held by one LP
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, [MAX.tokens]);
    const other = newUser('lp');
    await registerUser(api, admin, other);
    const before = await rowCounts();

    // Act
    const past = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: other.id, amount: '0.0000001' });

    // Assess
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ lp_tokens_issued: MAX.tokens, requested: '0.0000001', limit: MAX.tokens });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an amount past the column with a 422 naming the limit', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [holder] = (await seedHolders(api, admin, projectId, ['1'])) as [TestUser];

    const past = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '100000000000000000000000' });

    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({
      type: '/problems/rule-violation',
      errors: [{ location: 'body', field: 'amount', message: expect.stringContaining(MAX.tokens), limit: MAX.tokens }],
    });
  });
});

describe('a redemption request', () => {
  /** An LP holding `tokens` of a project whose NAV is `nav`. */
  async function holding(tokens: string, nav: string) {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [lp] = (await seedHolders(api, admin, projectId, [tokens])) as [TestUser];
    await setNav(admin, projectId, nav);
    return { lp, projectId };
  }

  it('for more tokens than a balance can hold is a 422 naming the limit', async () => {
    const { lp, projectId } = await holding('1', '1');
    const before = await rowCounts();

    const refused = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '100000000000000000000000' }, { as: lp });

    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ location: 'body', field: 'tokens_amount', message: expect.stringContaining(MAX.tokens), limit: MAX.tokens }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('for the largest holding is accepted and kept whole', async () => {
    const { lp, projectId } = await holding(MAX.tokens, '0.00000001');

    const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: MAX.tokens }, { as: lp });

    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ tokens_amount: MAX.tokens, nav_snapshot: '0.00000001', redemption_value_ngnts: '999999999999999.99' });
  });

  it('worth the most NGNTS a value can hold is accepted; a NAV that makes it worth more is a 422 naming the limit', async () => {
    // Prepare: 99,999,999,999,999,999,999,999.9999999 tokens × 100,000 is 9,999,999,999,999,999,999,999,999,999.99999 NGNTS
    const atMax = await holding(MAX.tokens, '100000');
    const past = await holding(MAX.tokens, '100000.00000001');
    const before = await rowCounts();

    // Act
    const refused = await api.post('/api/redemptions', { project_id: past.projectId, tokens_amount: MAX.tokens }, { as: past.lp });
    const accepted = await api.post('/api/redemptions', { project_id: atMax.projectId, tokens_amount: MAX.tokens }, { as: atMax.lp });

    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/rule-violation', limit: MAX.ngnts, detail: expect.stringContaining(MAX.ngnts) });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ redemption_value_ngnts: MAX.ngnts });
    const after = await rowCounts();
    expect(after.redemption_requests).toBe((before.redemption_requests ?? 0) + 1);
  });
});

describe('a treasury wallet', () => {
  it('takes inflows up to the most its balance can hold; one kobo past it is a 422 naming the limit', async () => {
    // Prepare
    const admin = newUser('admin');
    await registerPool(api, admin);
    const upToMax = [
      await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '9999999999999999999999999999' }, { as: admin }),
      await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '0.99' }, { as: admin }),
    ];
    const before = await rowCounts();

    // Act
    const past = await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '0.01' }, { as: admin });

    // Assess
    expect(upToMax.map((response) => response.status)).toEqual([201, 201]);
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ type: '/problems/rule-violation', balance: MAX.ngnts, limit: MAX.ngnts });
    expect(await rowCounts()).toEqual(before);
    expect((await api.get('/api/treasury/balance', { as: admin })).body).toMatchObject({ balance: MAX.ngnts });
  });
});

describe('each amount at the largest its column holds', () => {
  it.each([
    { field: 'total_amount', max: MAX.distribution, past: '10000000000000' },
    { field: 'nav_per_token', max: MAX.nav, past: '10000000000000000000000' },
    { field: 'amount_ngnts', max: MAX.ngnts, past: '10000000000000000000000000000' },
    { field: 'min_reserve_threshold', max: MAX.ngnts, past: '10000000000000000000000000000' },
  ])('$field is accepted at $max; past it, a 422 naming the limit that writes nothing', async ({ field, max, past }) => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const send = (value: string) => {
      switch (field) {
        case 'total_amount':
          return api.post('/api/distributions', { project_id: projectId, event_type: 'revenue', title: 'Edge', total_amount: value, distribution_date: EARLY }, { as: admin });
        case 'nav_per_token':
          return api.post(`/api/projects/${projectId}/nav`, { nav_per_token: value, source: 'audited' }, { as: admin });
        case 'amount_ngnts':
          return api.post(`/api/projects/${projectId}/cashflows`, { amount_ngnts: value, source: 'Edge', source_document_url: 'https://docs.example.com/edge.pdf' }, { as: admin });
        default:
          return api.post('/api/wallets', { address: `edge-${projectId.slice(0, 8)}-${value.length}`, wallet_type: 'admin', min_reserve_threshold: value }, { as: admin });
      }
    };

    const accepted = await send(max);
    const before = await rowCounts();
    const refused = await send(past);

    expect(accepted.status).toBe(201);
    expect(accepted.body[field]).toBe(max);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: '/problems/rule-violation',
      detail: expect.stringContaining(max),
      errors: [{ location: 'body', field, message: expect.stringContaining(max), limit: max }],
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('a malformed amount stays a 400, even beside one past its limit', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);

    const refused = await api.post(
      '/api/distributions',
      { project_id: projectId, event_type: 'revenue', title: 'Edge', total_amount: '10000000000000', distribution_date: 'yesterday' },
      { as: admin },
    );

    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'distribution_date' }), expect.objectContaining({ field: 'total_amount', limit: MAX.distribution })]),
    );
  });
});

