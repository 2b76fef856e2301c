import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { newUser, useApi } from '../support/api';
import { moveTokens, registerUser, rowCounts, seedProjectWithLps } from '../support/fixtures';

const api = useApi();

const JAN = '2026-01-01T00:00:00Z';
const FEB = '2026-02-01T00:00:00Z';
const MAR = '2026-03-01T00:00:00Z';

async function holdersAsOf(admin: ReturnType<typeof newUser>, projectId: string, asOf?: string) {
  const query = asOf === undefined ? '' : `?as_of=${encodeURIComponent(asOf)}`;
  const response = await api.get(`/api/projects/${projectId}/holders${query}`, { as: admin });
  expect(response.status).toBe(200);
  return Object.fromEntries(response.body.items.map((h: { holder_id: string; balance: string }) => [h.holder_id, h.balance]));
}

/** The current-balance table must always equal the ledger's sums. */
async function expectBalancesMatchLedger(projectId: string) {
  const { rows } = await sql<{ mismatches: number }>`
    SELECT count(*)::int AS mismatches FROM lp_token_balances a
    FULL JOIN (
      SELECT holder_id, sum(delta) AS balance FROM (
        SELECT to_holder_id AS holder_id, amount AS delta FROM lp_token_movements WHERE project_id = ${projectId}::uuid AND to_holder_id IS NOT NULL
        UNION ALL
        SELECT from_holder_id, -amount FROM lp_token_movements WHERE project_id = ${projectId}::uuid AND from_holder_id IS NOT NULL
      ) m GROUP BY holder_id
    ) l ON l.holder_id = a.lp_token_holder_id AND a.project_id = ${projectId}::uuid
    WHERE coalesce(a.lp_tokens_allocated, 0) <> coalesce(l.balance, 0)`.execute(getDb());
  expect(rows[0]?.mismatches).toBe(0);
}

describe('the LP token ledger', () => {
  it('answers balances as of past instants', async () => {
    // Prepare
    const { admin, alice, bob, projectId } = await seedProjectWithLps(api);

    // Act
    expect((await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '100', effective_at: JAN })).status).toBe(201);
    expect((await moveTokens(api, admin, projectId, { kind: 'transfer', holder_id: alice.id, to_holder_id: bob.id, amount: '40.0000001', effective_at: FEB })).status).toBe(201);
    expect((await moveTokens(api, admin, projectId, { kind: 'burn', holder_id: bob.id, amount: '0.0000001', effective_at: MAR })).status).toBe(201);

    // Assess
    expect(await holdersAsOf(admin, projectId, '2025-12-31T23:59:59Z')).toEqual({});
    expect(await holdersAsOf(admin, projectId, JAN)).toEqual({ [alice.id]: '100.0000000' });
    expect(await holdersAsOf(admin, projectId, '2026-02-15T00:00:00Z')).toEqual({
      [alice.id]: '59.9999999',
      [bob.id]: '40.0000001',
    });
    expect(await holdersAsOf(admin, projectId)).toEqual({ [alice.id]: '59.9999999', [bob.id]: '40.0000000' });
    await expectBalancesMatchLedger(projectId);
  });

  it('leaves holders with a zero balance out', async () => {
    const { admin, alice, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '5', effective_at: JAN });
    await moveTokens(api, admin, projectId, { kind: 'burn', holder_id: alice.id, amount: '5', effective_at: FEB });
    expect(await holdersAsOf(admin, projectId, JAN)).toEqual({ [alice.id]: '5.0000000' });
    expect(await holdersAsOf(admin, projectId)).toEqual({});
  });

  it('returns the movement with the holders’ new balances and audits it', async () => {
    const { admin, alice, bob, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '10', effective_at: JAN });

    const response = await moveTokens(api, admin, projectId, { kind: 'transfer', holder_id: alice.id, to_holder_id: bob.id, amount: '2.5' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      kind: 'transfer',
      from_holder_id: alice.id,
      to_holder_id: bob.id,
      amount: '2.5000000',
      balances: [
        { holder_id: alice.id, balance: '7.5000000' },
        { holder_id: bob.id, balance: '2.5000000' },
      ],
    });
    const { rows } = await sql<{ action: string; details: { amount: string } }>`
      SELECT action, details FROM audit_admin_actions WHERE action LIKE 'lp_tokens.%' ORDER BY created_at`.execute(getDb());
    expect(rows.map((r) => [r.action, r.details.amount])).toEqual([
      ['lp_tokens.issue', '10.0000000'],
      ['lp_tokens.transfer', '2.5000000'],
    ]);
  });

  it.each([
    { case: 'a burn beyond the balance at that instant', movement: { kind: 'burn' as const, amount: '100.0000001', effective_at: FEB } },
    { case: 'a burn before the tokens were issued', movement: { kind: 'burn' as const, amount: '1', effective_at: '2025-06-01T00:00:00Z' } },
    { case: 'a backdated transfer that would overdraw a later burn', movement: { kind: 'transfer' as const, amount: '50', effective_at: FEB, toBob: true } },
  ])('refuses $case with a 422 that says why, writing nothing', async ({ movement }) => {
    // Prepare: alice holds 100 from January and burns 60 in March
    const { admin, alice, bob, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '100', effective_at: JAN });
    await moveTokens(api, admin, projectId, { kind: 'burn', holder_id: alice.id, amount: '60', effective_at: MAR });
    const before = await rowCounts();

    // Act
    const response = await moveTokens(api, admin, projectId, {
      kind: movement.kind,
      holder_id: alice.id,
      ...('toBob' in movement ? { to_holder_id: bob.id } : {}),
      amount: movement.amount,
      effective_at: movement.effective_at,
    });

    // Assess
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ type: '/problems/rule-violation', holder_id: alice.id });
    expect(response.body.detail).toMatch(/tokens/);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a movement dated in the future', async () => {
    const { admin, alice, projectId } = await seedProjectWithLps(api);
    const response = await moveTokens(api, admin, projectId, {
      kind: 'issue',
      holder_id: alice.id,
      amount: '1',
      effective_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(response.status).toBe(422);
  });

  it.each([
    { case: 'an unknown project', status: 404, project: '00000000-0000-4000-8000-000000000000', holder: 'alice' },
    { case: 'an unregistered holder', status: 422, project: undefined, holder: 'stranger' },
  ])('answers $status for $case', async ({ status, project, holder }) => {
    const { admin, alice, projectId } = await seedProjectWithLps(api);
    const holderId = holder === 'alice' ? alice.id : newUser('lp').id;
    const response = await moveTokens(api, admin, project ?? projectId, { kind: 'issue', holder_id: holderId, amount: '1' });
    expect(response.status).toBe(status);
  });

  it('never lets concurrent debits overdraw a holder', async () => {
    // Prepare: 10 tokens, then 30 concurrent burns of 1
    const { admin, alice, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '10', effective_at: JAN });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => moveTokens(api, admin, projectId, { kind: 'burn', holder_id: alice.id, amount: '1' })),
    );

    // Assess
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(20);
    expect(await holdersAsOf(admin, projectId)).toEqual({});
    await expectBalancesMatchLedger(projectId);
  });

  it('stays consistent under concurrent transfers in both directions', async () => {
    const { admin, alice, bob, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '50', effective_at: JAN });
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: bob.id, amount: '50', effective_at: JAN });

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        moveTokens(api, admin, projectId, {
          kind: 'transfer',
          holder_id: i % 2 === 0 ? alice.id : bob.id,
          to_holder_id: i % 2 === 0 ? bob.id : alice.id,
          amount: '3',
        }),
      ),
    );

    expect(responses.every((r) => r.status === 201 || r.status === 422)).toBe(true);
    const balances = await holdersAsOf(admin, projectId);
    expect(new Decimal(balances[alice.id] ?? 0).plus(balances[bob.id] ?? 0).toFixed(7)).toBe('100.0000000');
    await expectBalancesMatchLedger(projectId);
  });

  it('pages holders with a cursor', async () => {
    const { admin, projectId } = await seedProjectWithLps(api);
    const holders = Array.from({ length: 5 }, () => newUser('lp'));
    for (const holder of holders) {
      await registerUser(api, admin, holder);
      await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '1', effective_at: JAN });
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await api.get(`/api/projects/${projectId}/holders${query}`, { as: admin });
      seen.push(...page.body.items.map((h: { holder_id: string }) => h.holder_id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);

    expect(seen).toEqual(holders.map((h) => h.id).sort());
  });
});
