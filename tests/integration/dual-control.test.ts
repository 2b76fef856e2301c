import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { applyMovement } from '../../shared/lp-tokens/record-movement';
import { recordNav as recordNavDirectly } from '../../shared/nav/record-nav';
import { expectStatus, newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, moveTokens, registerUser, rowCounts } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { cashflowIn, registerPool, registerWallet } from '../support/treasury-api';
import { fundedWallet, untilAwaitingApproval } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

// Dual control on for this file: each function's execution environment starts with it.
process.env.DUAL_CONTROL = 'on';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

const JAN = '2026-01-01T00:00:00.000Z';
const FEB = '2026-02-01T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';
const YESTERDAY = () => new Date(Date.now() - 24 * 3600 * 1000);

/** Any call provisions the caller: their users row exists from then on. */
const signIn = (admin: TestUser) => api.get('/api/wallets', { as: admin });

const decide = (as: TestUser, id: string, decision: 'approve' | 'reject' | 'withdraw', body?: unknown) =>
  api.post(`/api/proposals/${id}/${decision}`, body, { as });


/** A write proposed by `maker` and approved by `checker`: it has taken effect. */
async function approved(maker: TestUser, checker: TestUser, path: string, body: unknown) {
  const proposal = expectStatus(`propose ${path}`, await api.post(path, body, { as: maker }), 202);
  return expectStatus(`approve ${path}`, await decide(checker, proposal.id, 'approve'), 200);
}

/** A maker and a checker (both admins), an LP, a project. */
async function team() {
  const maker = newUser('admin', 'maker');
  const checker = newUser('admin', 'checker');
  const lp = newUser('lp');
  await registerUser(api, maker, lp);
  const projectId = await createProject(api, maker);
  await signIn(checker);
  return { maker, checker, lp, projectId };
}

/** The audit rows that name a proposal, by action. */
async function auditOf(proposalId: string) {
  const { rows } = await sql<{ action: string; admin_id: string; details: Record<string, unknown> }>`
    SELECT action, admin_id, details FROM audit_admin_actions
    WHERE target->>'proposal_id' = ${proposalId} OR details->>'proposal_id' = ${proposalId}`.execute(getDb());
  return Object.fromEntries(rows.map((row) => [row.action, row]));
}

const poolBalance = async (admin: TestUser) => (await api.get('/api/treasury/balance', { as: admin })).body.balance as string;
const holdings = async (admin: TestUser, projectId: string) =>
  (await api.get(`/api/projects/${projectId}/holders`, { as: admin })).body.items.map((item: Record<string, string>) => [item.holder_id, item.balance]);

/** Tokens issued to `lp` and recorded by `admin` (as before dual control, or while it was off). */
async function tokensIssuedBy(admin: TestUser, projectId: string, lp: TestUser, amount: string) {
  await getDb().transaction().execute((trx) =>
    applyMovement(trx, admin.id, projectId, { kind: 'issue', holder_id: lp.id, amount: new Decimal(amount), effective_at: YESTERDAY() }),
  );
}

/** A redemption of `lp`'s tokens, planned and waiting for an admin's decision. */
async function redemptionAwaitingApproval(lp: TestUser, projectId: string, tokens: string): Promise<string> {
  const requested = expectStatus('request redemption', await api.post('/api/redemptions', { project_id: projectId, tokens_amount: tokens }, { as: lp }), 202);
  await untilAwaitingApproval(queues, requested.id);
  return requested.id as string;
}

describe('the finding (issue 11, item 7): one admin alone', () => {
  it('can neither credit the pool without a cashflow, nor issue tokens, nor set the NAV', async () => {
    // Prepare: a project, an LP, the pool
    const admin = newUser('admin');
    const lp = newUser('lp');
    await registerUser(api, admin, lp);
    const projectId = await createProject(api, admin);
    await registerPool(api, admin);

    // Act
    const inflow = await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000000.00' }, { as: admin });
    const issue = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: lp.id, amount: '1000' });
    const nav = await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1000', source: 'manual' }, { as: admin });
    const selfApprovals = await Promise.all([inflow, issue, nav].map((proposal) => decide(admin, proposal.body.id, 'approve')));

    // Assess: each waits for a second admin, who cannot be the proposer; nothing has taken effect
    expect([inflow.status, issue.status, nav.status]).toEqual([202, 202, 202]);
    expect(selfApprovals.map((response) => response.status)).toEqual([403, 403, 403]);
    expect(await poolBalance(admin)).toBe('0.00');
    expect(await holdings(admin, projectId)).toEqual([]);
    expect((await api.get(`/api/projects/${projectId}/nav/latest`, { as: admin })).status).toBe(404);
  });

  it.each([
    ['issued the LP their tokens', 'tokens'],
    ['set the NAV the buyback is valued at', 'nav'],
  ] as const)('cannot approve the buyback of an LP when they %s; another admin can', async (_case, stake) => {
    // Prepare: an LP holding 100 tokens at NAV 2; `maker` did one of the two, `other` the rest
    const maker = newUser('admin', 'maker');
    const other = newUser('admin', 'other');
    const independent = newUser('admin', 'independent');
    const lp = newUser('lp');
    const projectId = await createProject(api, other);
    await registerUser(api, other, lp);
    await signIn(maker);
    await tokensIssuedBy(stake === 'tokens' ? maker : other, projectId, lp, '100');
    await recordNavDirectly(getDb(), stake === 'nav' ? maker : other, projectId, { nav_per_token: new Decimal('2'), source: 'audited', effective_at: YESTERDAY() });
    await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '1000.00' });
    const redemptionId = await redemptionAwaitingApproval(lp, projectId, '10');

    // Act
    const byMaker = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: maker });
    const byIndependent = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: independent });
    await workflow.settled();

    // Assess
    expect(byMaker.status, JSON.stringify(byMaker.body)).toBe(403);
    expect(byMaker.body.type).toBe('/problems/forbidden');
    expect(byIndependent.status).toBe(200);
  });
});

describe('a dual-controlled write', () => {
  const cases = [
    {
      write: 'a NAV entry',
      action: 'nav.record',
      path: (projectId: string) => `/api/projects/${projectId}/nav`,
      body: () => ({ nav_per_token: '1.25', source: 'audited', effective_at: JAN, notes: 'FY2025 audit' }),
      stored: () => ({ nav_per_token: '1.25000000', source: 'audited', effective_at: JAN, notes: 'FY2025 audit' }),
      effect: async (admin: TestUser, projectId: string) =>
        (await api.get(`/api/projects/${projectId}/nav/latest`, { as: admin })).body.nav_per_token ?? 'none',
      before: 'none',
      after: '1.25000000',
    },
    {
      write: 'an issue of LP tokens',
      action: 'lp_tokens.issue',
      path: (projectId: string) => `/api/projects/${projectId}/lp-tokens`,
      body: (lp: TestUser) => ({ kind: 'issue', holder_id: lp.id, amount: '1000', effective_at: JAN }),
      stored: (lp: TestUser) => ({ kind: 'issue', holder_id: lp.id, amount: '1000.0000000', effective_at: JAN }),
      effect: async (admin: TestUser, projectId: string) => JSON.stringify(await holdings(admin, projectId)),
      before: '[]',
      after: (lp: TestUser) => JSON.stringify([[lp.id, '1000.0000000']]),
    },
    {
      write: 'an inflow without a cashflow',
      action: 'treasury.inflow',
      path: () => '/api/treasury/transactions',
      body: () => ({ type: 'inflow', amount_ngnts: '1000.1', related_tx_hash: '0xin', metadata: { bank: 'GTB' } }),
      stored: (_lp: TestUser, pool: string) => ({ type: 'inflow', amount_ngnts: '1000.10', destination_wallet: pool, related_tx_hash: '0xin', metadata: { bank: 'GTB' } }),
      effect: (admin: TestUser) => poolBalance(admin),
      before: '0.00',
      after: '1000.10',
    },
    {
      write: 'a replenishment from outside',
      action: 'treasury.replenish',
      path: () => '/api/treasury/transactions',
      body: () => ({ type: 'replenish', amount_ngnts: '0.01' }),
      stored: (_lp: TestUser, pool: string) => ({ type: 'replenish', amount_ngnts: '0.01', destination_wallet: pool }),
      effect: (admin: TestUser) => poolBalance(admin),
      before: '0.00',
      after: '0.01',
    },
  ];

  it.each(cases)('($write) waits for another admin, then takes effect as the direct write would, every step audited', async (c) => {
    // Prepare
    const { maker, checker, lp, projectId } = await team();
    const pool = (await registerPool(api, maker)).address as string;

    // Act
    const proposed = await api.post(c.path(projectId), c.body(lp), { as: maker });
    const pending = await c.effect(maker, projectId);
    const read = await api.get(`/api/proposals/${proposed.body.id}`, { as: checker });
    const decision = await decide(checker, proposed.body.id, 'approve');

    // Assess: 202 with the proposal, nothing applied until the checker approves
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({ action: c.action, status: 'pending', proposed_by: maker.id, request: c.stored(lp, pool), decided_by: null });
    expect(pending).toBe(c.before);
    expect(read.body).toEqual(proposed.body);
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ status: 'approved', decided_by: checker.id, applied_record_id: expect.any(String) });
    expect(await c.effect(maker, projectId)).toBe(typeof c.after === 'function' ? c.after(lp) : c.after);
    // The write names its author; its audit row the approver who made it take effect
    const audit = await auditOf(proposed.body.id);
    expect(Object.keys(audit).sort()).toEqual(['dual_control.approve', 'dual_control.propose', c.action].sort());
    expect(audit['dual_control.propose']).toMatchObject({ admin_id: maker.id, details: { status: 'pending' } });
    expect(audit['dual_control.approve']).toMatchObject({ admin_id: checker.id, details: { status: 'approved', applied_record_id: decision.body.applied_record_id } });
    expect(audit[c.action]).toMatchObject({ admin_id: checker.id, details: { proposal_id: proposed.body.id, proposed_by: maker.id } });
  });

  it('is left alone where a verified cashflow or tokens already issued stand behind it (201 at once)', async () => {
    // Prepare: the pool, a wallet, a verified cashflow, an LP holding 100 tokens
    const { maker, checker, lp, projectId } = await team();
    const pool = await registerPool(api, maker);
    const wallet = await registerWallet(api, maker);
    const other = newUser('lp');
    await registerUser(api, maker, other);
    const cashflow = await cashflowIn(api, projectId, 'verified', '500.00');
    await approved(maker, checker, `/api/projects/${projectId}/lp-tokens`, { kind: 'issue', holder_id: lp.id, amount: '100', effective_at: JAN });

    // Act
    const writes = [
      ['/api/treasury/transactions', { type: 'inflow', amount_ngnts: '500.00', cashflow_id: cashflow.id }],
      ['/api/treasury/transactions', { type: 'allocation', amount_ngnts: '100.00', destination_wallet: wallet.address }],
      ['/api/treasury/transactions', { type: 'replenish', amount_ngnts: '50.00', source_wallet: wallet.address }],
      ['/api/treasury/transactions', { type: 'buyback', amount_ngnts: '1.00', source_wallet: pool.address }],
      [`/api/projects/${projectId}/lp-tokens`, { kind: 'transfer', holder_id: lp.id, to_holder_id: other.id, amount: '10', effective_at: FEB }],
      [`/api/projects/${projectId}/lp-tokens`, { kind: 'burn', holder_id: lp.id, amount: '5', effective_at: FEB }],
    ] as const;
    const statuses = [];
    for (const [path, body] of writes) statuses.push((await api.post(path, body, { as: maker })).status);

    // Assess
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await poolBalance(maker)).toBe('449.00');
  });

  it.each<[string, number, (projectId: string) => [string, unknown]]>([
    ['a NAV dated in the future', 422, (p: string) => [`/api/projects/${p}/nav`, { nav_per_token: '1', source: 'manual', effective_at: '2999-01-01T00:00:00Z' }]],
    ['a NAV of a project that does not exist', 404, () => [`/api/projects/${crypto.randomUUID()}/nav`, { nav_per_token: '1', source: 'manual' }]],
    ['a NAV sent as a JSON number', 400, (p: string) => [`/api/projects/${p}/nav`, { nav_per_token: 1.25, source: 'manual' }]],
    ['an issue to someone not registered', 422, (p: string) => [`/api/projects/${p}/lp-tokens`, { kind: 'issue', holder_id: crypto.randomUUID(), amount: '1' }]],
    ['an inflow naming a project that does not exist', 422, () => ['/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1.00', source_project_id: crypto.randomUUID() }]],
  ])('is checked when proposed as the direct write is: %s is a %i, and nothing is written', async (_case, status, request) => {
    // Prepare
    const { maker, projectId } = await team();
    await registerPool(api, maker);
    const [path, body] = request(projectId);
    const before = await rowCounts();

    // Act
    const response = await api.post(path, body, { as: maker });

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await rowCounts()).toEqual(before);
  });

  it('is refused when proposed with no pool to credit, as the direct write is (422)', async () => {
    const { maker } = await team();
    const before = await rowCounts();

    const response = await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1.00' }, { as: maker });

    expect(response.status).toBe(422);
    expect(response.body.detail).toBe('No treasury pool wallet is registered');
    expect(await rowCounts()).toEqual(before);
  });
});

describe('a proposal', () => {
  const proposeNav = async (maker: TestUser, projectId: string, effectiveAt = FEB) =>
    expectStatus('propose NAV', await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1.5', source: 'audited', effective_at: effectiveAt }, { as: maker }), 202);

  it('is decided by another admin, withdrawn only by its proposer: the wrong admin gets a 403 and nothing changes', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);
    const before = await rowCounts();

    // Act
    const approvedByMaker = await decide(maker, proposal.id, 'approve');
    const rejectedByMaker = await decide(maker, proposal.id, 'reject', { reason: 'changed my mind' });
    const withdrawnByChecker = await decide(checker, proposal.id, 'withdraw');

    // Assess
    expect([approvedByMaker.status, rejectedByMaker.status, withdrawnByChecker.status]).toEqual([403, 403, 403]);
    expect(rejectedByMaker.body.detail).toContain('its proposer withdraws it instead');
    expect(await rowCounts()).toEqual(before);
    expect((await api.get(`/api/proposals/${proposal.id}`, { as: checker })).body.status).toBe('pending');
  });

  it('is rejected with a reason, or withdrawn, once: a second decision is a 409', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const toReject = await proposeNav(maker, projectId);
    const toWithdraw = await proposeNav(maker, projectId, JAN);

    // Act
    const noReason = await decide(checker, toReject.id, 'reject', {});
    const rejected = await decide(checker, toReject.id, 'reject', { reason: 'The audited NAV is 1.20' });
    const withdrawn = await decide(maker, toWithdraw.id, 'withdraw', { reason: 'Wrong project' });
    const again = await Promise.all([
      decide(checker, toReject.id, 'approve'),
      decide(maker, toReject.id, 'withdraw'),
      decide(checker, toWithdraw.id, 'approve'),
      decide(checker, toWithdraw.id, 'reject', { reason: 'late' }),
    ]);

    // Assess
    expect(noReason.status).toBe(400);
    expect(rejected.body).toMatchObject({ status: 'rejected', decided_by: checker.id, decision_reason: 'The audited NAV is 1.20', applied_record_id: null });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decided_by: maker.id, decision_reason: 'Wrong project' });
    expect(again.map((response) => response.status)).toEqual([409, 409, 409, 409]);
    expect((await api.get(`/api/projects/${projectId}/nav`, { as: maker })).body.items).toEqual([]);
    expect((await auditOf(toReject.id))['dual_control.reject']).toMatchObject({ admin_id: checker.id, details: { status: 'rejected', reason: 'The audited NAV is 1.20' } });
    expect((await auditOf(toWithdraw.id))['dual_control.withdraw']).toMatchObject({ admin_id: maker.id, details: { status: 'withdrawn' } });
  });

  it('is approved once when two admins approve it at the same time', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const second = newUser('admin', 'second-checker');
    await signIn(second);
    const proposal = await proposeNav(maker, projectId);

    // Act
    const decisions = await Promise.all([decide(checker, proposal.id, 'approve'), decide(second, proposal.id, 'approve')]);

    // Assess
    expect(decisions.map((response) => response.status).sort()).toEqual([200, 409]);
    expect((await api.get(`/api/projects/${projectId}/nav`, { as: maker })).body.items).toHaveLength(1);
  });

  it('of a NAV is refused at approval once a NAV dated at or after it was recorded since (409), and stays pending', async () => {
    // Prepare: a NAV for February proposed; then one for March proposed and approved
    const { maker, checker, projectId } = await team();
    const february = await proposeNav(maker, projectId, FEB);
    await approved(maker, checker, `/api/projects/${projectId}/nav`, { nav_per_token: '2', source: 'audited', effective_at: MAR });
    // A January one proposed with March's in sight: its proposer knew it was backdated
    const january = await proposeNav(maker, projectId, JAN);

    // Act
    const stale = await decide(checker, february.id, 'approve');
    const knowinglyBackdated = await decide(checker, january.id, 'approve');

    // Assess
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ effective_at: FEB, recorded_since: 1 });
    expect((await api.get(`/api/proposals/${february.id}`, { as: checker })).body.status).toBe('pending');
    expect(knowinglyBackdated.status).toBe(200);
    const history = (await api.get(`/api/projects/${projectId}/nav`, { as: maker })).body.items;
    expect(history.map((entry: Record<string, string>) => entry.effective_at)).toEqual([MAR, JAN]);
    expect((await api.get(`/api/projects/${projectId}`, { as: maker })).body.current_nav_per_token).toBe('2.00000000');
  });

  it('of an issue is refused at approval once a distribution has closed the books over its instant (422), and stays pending', async () => {
    // Prepare: an issue for mid-March proposed; then a distribution as of 31 March calculated
    const { maker, checker, lp, projectId } = await team();
    const issue = expectStatus('propose issue', await moveTokens(api, maker, projectId, { kind: 'issue', holder_id: lp.id, amount: '5', effective_at: '2026-03-15T00:00:00Z' }), 202);
    const eventId = await createDistribution(api, maker, projectId);
    expectStatus('calculate', await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: maker }), 202);

    // Act
    const decision = await decide(checker, issue.id, 'approve');

    // Assess: the same refusal as the direct write would meet now
    expect(decision.status).toBe(422);
    expect(decision.body.closed_until).toBe('2026-03-31T00:00:00.000Z');
    expect((await api.get(`/api/proposals/${issue.id}`, { as: checker })).body.status).toBe('pending');
    expect(await holdings(maker, projectId)).toEqual([]);
  });

  it('of tokens for an admin cannot be approved by that admin (403)', async () => {
    // Prepare: the maker proposes tokens for the checker
    const { maker, checker, projectId } = await team();
    const third = newUser('admin', 'third');
    await signIn(third);
    const issue = expectStatus('propose issue', await moveTokens(api, maker, projectId, { kind: 'issue', holder_id: checker.id, amount: '5' }), 202);

    // Act
    const byHolder = await decide(checker, issue.id, 'approve');
    const byThird = await decide(third, issue.id, 'approve');

    // Assess
    expect(byHolder.status).toBe(403);
    expect(byHolder.body.detail).toBe('An admin may not approve tokens issued to themselves');
    expect(byThird.status).toBe(200);
  });

  it('is listed for admins, newest first, by status and action; an unknown one is a 404', async () => {
    // Prepare: three proposals, one of them withdrawn
    const { maker, checker, lp, projectId } = await team();
    const first = await proposeNav(maker, projectId, JAN);
    const second = expectStatus('propose issue', await moveTokens(api, maker, projectId, { kind: 'issue', holder_id: lp.id, amount: '1' }), 202);
    const third = await proposeNav(maker, projectId, FEB);
    await decide(maker, first.id, 'withdraw');

    // Act
    const all = await api.get('/api/proposals', { as: checker });
    const pending = await api.get('/api/proposals?status=pending', { as: checker });
    const navs = await api.get(`/api/proposals?action=nav.record&project_id=${projectId}&limit=1`, { as: checker });
    const next = await api.get(`/api/proposals?action=nav.record&project_id=${projectId}&limit=5&cursor=${navs.body.next_cursor}`, { as: checker });
    const unknown = await api.get(`/api/proposals/${crypto.randomUUID()}`, { as: checker });

    // Assess
    expect(all.body.items.map((item: Record<string, string>) => item.id)).toEqual([third.id, second.id, first.id]);
    expect(pending.body.items.map((item: Record<string, string>) => item.id)).toEqual([third.id, second.id]);
    expect(navs.body.items.map((item: Record<string, string>) => item.id)).toEqual([third.id]);
    expect(next.body.items.map((item: Record<string, string>) => item.id)).toEqual([first.id]);
    expect(next.body.next_cursor).toBeNull();
    expect(unknown.status).toBe(404);
  });
});

describe('the dual-control walkthrough (README)', () => {
  it('credits the pool, issues tokens and sets the NAV with two admins; the maker cannot approve the buyback, the checker can', async () => {
    // Prepare: every write proposed by the maker and approved by the checker
    const { maker, checker, lp, projectId } = await team();
    await registerPool(api, maker, { minReserve: '500.00' });
    await approved(maker, checker, '/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000.10' });
    await approved(maker, checker, `/api/projects/${projectId}/lp-tokens`, { kind: 'issue', holder_id: lp.id, amount: '1000', effective_at: JAN });
    await approved(maker, checker, `/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const redemptionId = await redemptionAwaitingApproval(lp, projectId, '200');

    // Act
    const byMaker = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: maker });
    const byChecker = await api.post(`/api/redemptions/${redemptionId}/approve`, undefined, { as: checker });
    await workflow.settled();

    // Assess: 200 × 1.25 = 250.00 paid out of 1,000.10
    expect(byMaker.status).toBe(403);
    expect(byChecker.status).toBe(200);
    expect((await api.get(`/api/redemptions/${redemptionId}`, { as: lp })).body.status).toBe('completed');
    expect(await holdings(maker, projectId)).toEqual([[lp.id, '800.0000000']]);
    expect(await poolBalance(maker)).toBe('750.10');
  });
});
