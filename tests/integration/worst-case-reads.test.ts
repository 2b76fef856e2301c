import { type RawBuilder, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { createEventBody, cancelEventBody } from '../../shared/distributions/schemas';
import { recordNavBody } from '../../shared/nav/schemas';
import { createProjectBody } from '../../shared/projects/schemas';
import { rejectRedemptionBody } from '../../shared/redemptions/schemas';
import { recordCashflowBody } from '../../shared/cashflows/schemas';
import { poolCreditProposals } from '../../shared/treasury/credit-proposals';
import { recordTreasuryTransactionBody } from '../../shared/treasury/schemas';
import { txHash } from '../../shared/treasury/treasury-fields';
import { createUserBody } from '../../shared/users/schemas';
import { registerWalletBody } from '../../shared/wallets/schemas';
import { walletAddress } from '../../shared/wallets/wallet-fields';
import { recordPaymentBody, rejectWithdrawalBody } from '../../shared/withdrawals/schemas';
import { type Api, type ApiResponse, newUser, type TestUser, useApi } from '../support/api';
import { RECORD_DATE } from '../support/fixtures';
import { readAllPages } from '../support/list-routes';

/**
 * Every list at its largest page (limit 500) and every row at its worst: each free-text field as
 * long as the API accepts, made of the costliest characters it accepts in the Data API's answer
 * (a control character is 6 bytes there, `\u0001`; a character such as '€' 3). Each row is made
 * through the API once, so that it is what the API would store, then copied in SQL to fill the
 * page. Through the Data API emulator (project integration-data-api) an answer over 1 MiB, or a
 * row over 64 KB, is refused as on AWS, and the route would answer 500.
 */

const api = useApi();

const PAGE = 500;

/** Characters from the costliest in an answer's JSON down: `\u0001` (6 bytes), '€' (3 bytes). */
const COSTLIEST = ['\u0001', '€'];

/** `length` of the costliest character the schema accepts. */
function costliest(schema: z.ZodMiniType, length: number, around: (text: string) => string = (text) => text): string {
  for (const char of COSTLIEST) {
    const text = around(char.repeat(length));
    if (schema.safeParse(text).success) return text;
  }
  throw new Error('the schema accepts none of the characters tried');
}

/** The costliest metadata a treasury transaction accepts: numbers that Postgres writes out in full, or 3-byte text. */
function costliestMetadata(): Record<string, unknown> {
  const numbers = { n: Array.from({ length: 2_339 }, () => 1e308) };
  const text = { t: '€'.repeat(16_376) };
  for (const metadata of [numbers, text]) {
    if (recordTreasuryTransactionBody.safeParse({ type: 'inflow', amount_ngnts: '1', metadata }).success) return metadata;
  }
  throw new Error('no metadata accepted');
}

const field = (schema: z.ZodMiniObject, name: string) => schema.shape[name] as z.ZodMiniType;

/** An e-mail address of 320 characters, the most the API takes. */
const longEmail = (tag: string) => `${tag}${'a'.repeat(320 - tag.length - '@example.com'.length)}@example.com`;

function expectStatus(what: string, response: ApiResponse, status: number) {
  expect(response.status, `${what}: ${JSON.stringify(response.body).slice(0, 500)}`).toBe(status);
  return response.body;
}

/** Reads every page of a list at the largest page size, each page checked. */
const readAll = (path: string, as: TestUser) => readAllPages(api, path, as, PAGE);

/**
 * Copies the row `id` of `table` `copies` times, with new ids: `columns` are SQL over the row `r`
 * and the copy's number `i` (text), or values.
 */
async function copyRow(table: string, id: string, copies: number, columns: Record<string, string | RawBuilder<unknown>>) {
  const names = Object.keys(columns);
  const values = names.map((name) => {
    const value = columns[name]!;
    return typeof value === 'string' ? sql.raw(value) : value;
  });
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))})
    SELECT ${sql.join(values)}
    FROM ${sql.table(table)} AS r, generate_series(1, ${copies}) AS i
    WHERE r.id = cast(${id} as uuid)`.execute(getDb());
}

/** Users and a project whose names are as long and costly as the API lets them be. */
async function worstParties(api: Api) {
  const root = newUser('admin');
  // Their tokens carry the same longest e-mail: a token's verified e-mail replaces a registered one.
  const withLongEmail = (user: TestUser) => ({ ...user, email: longEmail(user.id.slice(0, 8)) });
  const admin = withLongEmail(newUser('admin'));
  const lp = withLongEmail(newUser('lp'));
  const name = costliest(field(createUserBody, 'name'), 255);
  for (const user of [lp, admin]) {
    expectStatus('register', await api.post('/api/users', { id: user.id, email: user.email, name, role: user.role }, { as: root }), 201);
  }
  const project = expectStatus('project', await api.post('/api/projects', { name: costliest(field(createProjectBody, 'name'), 255) }, { as: admin }), 201);
  await api.get(`/api/projects/${project.id}`, { as: lp });
  // Still the longest once both have called.
  const { rows } = await sql<{ email: string }>`SELECT email FROM users WHERE id IN (${admin.id}::uuid, ${lp.id}::uuid)`.execute(getDb());
  expect(rows.map((row) => row.email.length)).toEqual([320, 320]);
  return { admin, lp, projectId: project.id as string };
}

/** A cancelled event with the longest, costliest title, description and reason, made through the API by a client with a long user agent. */
async function worstEvent(admin: TestUser, projectId: string) {
  const userAgent = { 'user-agent': 'é'.repeat(8_000) };
  const body = {
    project_id: projectId,
    event_type: 'revenue',
    title: costliest(field(createEventBody, 'title'), 255),
    description: costliest(field(createEventBody, 'description'), 10_000),
    total_amount: '1000',
    distribution_date: RECORD_DATE,
  };
  const created = expectStatus('create event', await api.post('/api/distributions', body, { as: admin, headers: userAgent }), 201);
  const reason = costliest(field(cancelEventBody, 'cancellation_reason'), 2_000);
  expectStatus(
    'cancel event',
    await api.request('DELETE', `/api/distributions/${created.id}`, { as: admin, body: { cancellation_reason: reason }, headers: userAgent }),
    200,
  );
  return { eventId: created.id as string, description: body.description };
}

const EVENT_COPY = {
  project_id: 'r.project_id',
  event_type: 'r.event_type',
  title: 'r.title',
  description: 'r.description',
  total_amount: 'r.total_amount',
  distribution_date: "r.distribution_date - make_interval(secs => i)",
  status: 'r.status',
  created_by: 'r.created_by',
  cancelled_by: 'r.cancelled_by',
  cancelled_at: 'r.cancelled_at',
  cancellation_reason: 'r.cancellation_reason',
};

describe('reads at the worst case the API accepts', () => {
  it('GET /api/distributions/{id}: an event whose every text is at its longest', async () => {
    const { admin, projectId } = await worstParties(api);
    const { eventId, description } = await worstEvent(admin, projectId);

    const event = expectStatus('get event', await api.get(`/api/distributions/${eventId}`, { as: admin }), 200);

    expect(event.description).toBe(description);
  });

  it('GET /api/distributions/project/{projectId}: a full page of such events', async () => {
    const { admin, projectId } = await worstParties(api);
    const { eventId, description } = await worstEvent(admin, projectId);
    await copyRow('distribution_events', eventId, PAGE - 1, EVENT_COPY);

    const { items } = await readAll(`/api/distributions/project/${projectId}`, admin);

    expect(items).toHaveLength(PAGE);
    expect(new Set(items.map((item) => item.id)).size).toBe(PAGE);
    expect(items.every((item) => item.description === description)).toBe(true);
  });

  it('GET /api/users: a full page of users with the longest e-mails and names', async () => {
    const { admin, lp } = await worstParties(api);
    await copyRow('users', lp.id, PAGE - 1, {
      id: 'gen_random_uuid()',
      email: `left(lpad(i::text, 3, '0') || r.email, 320)`,
      name: 'r.name',
      role: 'r.role',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const all = await readAll('/api/users', admin);
    const lps = await readAll('/api/users?role=lp', admin);

    expect(all.items).toHaveLength(PAGE + 2);
    expect(lps.items).toHaveLength(PAGE);
    expect(lps.items.every((item) => item.email.length === 320 && item.name.length === 255)).toBe(true);
  });

  it('GET /api/projects: a full page of projects with the longest names', async () => {
    const { lp, projectId } = await worstParties(api);
    await copyRow('projects', projectId, PAGE - 1, {
      name: 'r.name',
      status: 'r.status',
      current_nav_per_token: sql`cast('9999999999999999999999.99999999' as numeric)`,
      created_by: 'r.created_by',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const { items } = await readAll('/api/projects', lp);

    expect(items).toHaveLength(PAGE);
    expect(new Set(items.map((item) => item.id)).size).toBe(PAGE);
    expect(items.every((item) => item.name.length === 255)).toBe(true);
  });

  it('the activity lists: a full page of activity with the longest reasons and user agents', async () => {
    const { admin, projectId } = await worstParties(api);
    const { eventId } = await worstEvent(admin, projectId);
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM distribution_activity_log WHERE activity_type = 'event_cancelled'`.execute(getDb());
    await copyRow('distribution_activity_log', rows[0]!.id, PAGE, {
      distribution_event_id: 'r.distribution_event_id',
      project_id: 'r.project_id',
      activity_type: 'r.activity_type',
      performed_by: 'r.performed_by',
      previous_status: 'r.previous_status',
      new_status: 'r.new_status',
      changes_summary: 'r.changes_summary',
      metadata: 'r.metadata',
      ip_address: 'r.ip_address',
      user_agent: 'r.user_agent',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    for (const path of [`/api/distributions/${eventId}/activity`, `/api/distributions/project/${projectId}/activity`, '/api/distributions/activity/recent']) {
      const { items } = await readAll(path, admin);
      expect(items, path).toHaveLength(PAGE + 2);
    }
  });

  it('the allocation lists: a full page of allocations of costly names and titles', async () => {
    const { admin, lp, projectId } = await worstParties(api);
    const { eventId } = await worstEvent(admin, projectId);
    await copyRow('distribution_events', eventId, PAGE - 1, EVENT_COPY);
    await copyRow('users', lp.id, PAGE - 1, {
      id: 'gen_random_uuid()',
      email: `left(lpad(i::text, 3, '0') || r.email, 320)`,
      name: 'r.name',
      role: 'r.role',
    });
    // Every LP in one event, and the one LP in every event.
    await sql`INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id, lp_tokens_held,
        ownership_percentage, allocated_amount, available_amount)
      SELECT cast(${eventId} as uuid), cast(${projectId} as uuid), u.id, 1, 0.2, 1, 1 FROM users u WHERE u.role = 'lp'
      UNION ALL
      SELECT e.id, e.project_id, cast(${lp.id} as uuid), 1, 0.2, 1, 1 FROM distribution_events e WHERE e.id <> cast(${eventId} as uuid)`.execute(getDb());

    const ofEvent = await readAll(`/api/distributions/${eventId}/allocations`, admin);
    const ofLp = await readAll(`/api/distributions/lp/${lp.id}/allocations`, admin);

    expect(ofEvent.items).toHaveLength(PAGE);
    expect(ofLp.items).toHaveLength(PAGE);
  });

  it('GET /api/withdrawals: a full page of requests rejected with the longest reason', async () => {
    const { admin, lp, projectId } = await worstParties(api);
    const { rows } = await sql<{ event_id: string; allocation_id: string }>`
      WITH e AS (
        INSERT INTO distribution_events (project_id, event_type, title, total_amount, distribution_date, status, total_allocated, created_by)
        VALUES (cast(${projectId} as uuid), 'revenue', 'Q1', 1000, now(), 'active', 1000, cast(${admin.id} as uuid)) RETURNING id, project_id
      )
      INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id, lp_tokens_held, ownership_percentage,
        allocated_amount, available_amount)
      SELECT e.id, e.project_id, cast(${lp.id} as uuid), 1, 100, 1000, 1000 FROM e
      RETURNING distribution_event_id AS event_id, id AS allocation_id`.execute(getDb());
    const requested = expectStatus(
      'request withdrawal',
      await api.post(`/api/distributions/allocations/${rows[0]!.allocation_id}/withdrawals`, { amount: '1' }, { as: lp }),
      201,
    );
    const reason = costliest(field(rejectWithdrawalBody, 'reason'), 2_000);
    expectStatus('reject', await api.post(`/api/withdrawals/${requested.id}/reject`, { reason }, { as: admin }), 200);
    await copyRow('withdrawal_requests', requested.id, PAGE - 1, {
      distribution_allocation_id: 'r.distribution_allocation_id',
      distribution_event_id: 'r.distribution_event_id',
      project_id: 'r.project_id',
      lp_token_holder_id: 'r.lp_token_holder_id',
      amount: 'r.amount',
      status: "'paid'",
      requested_by: 'r.requested_by',
      decided_by: 'r.decided_by',
      decided_at: 'r.decided_at',
      decision_reason: 'r.decision_reason',
      paid_by: 'r.decided_by',
      paid_at: 'r.decided_at',
      payment_reference: sql`cast(${costliest(field(recordPaymentBody, 'payment_reference'), 255)} as text)`,
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const { items } = await readAll('/api/withdrawals', admin);

    expect(items).toHaveLength(PAGE);
    expect(items.every((item) => item.decision_reason === reason)).toBe(true);
  });

  it('GET /api/redemptions: a full page of rejected requests with the longest reason and a funding plan', async () => {
    const { admin, lp, projectId } = await worstParties(api);
    const reason = costliest(field(rejectRedemptionBody, 'reason'), 2_000);
    const wallet = costliest(walletAddress, 64);
    const plan = {
      value_ngnts: '1.00',
      sources: Array.from({ length: 16 }, () => ({ wallet, role: 'liquidity_pool', amount_ngnts: '0.01' })),
      shortfall_ngnts: '0.84',
    };
    await sql`INSERT INTO redemption_requests (user_id, project_id, tokens_amount, nav_snapshot, redemption_value_ngnts, funding_plan,
        status, reason_code, rejection_reason, created_at)
      SELECT cast(${lp.id} as uuid), cast(${projectId} as uuid), 1, 1, 1, cast(${JSON.stringify(plan)} as jsonb), 'rejected', 'treasury_unavailable', ${reason},
        now() - make_interval(secs => i)
      FROM generate_series(1, ${PAGE}) AS i`.execute(getDb());

    const { items } = await readAll('/api/redemptions', admin);

    expect(items).toHaveLength(PAGE);
    expect(items.every((item) => item.rejection_reason === reason)).toBe(true);
  });

  it('GET /api/projects/{projectId}/nav: a full page of entries with the longest notes', async () => {
    const { admin, projectId } = await worstParties(api);
    const notes = costliest(field(recordNavBody, 'notes'), 2_000);
    const entry = expectStatus(
      'record nav',
      await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'audited', notes }, { as: admin }),
      201,
    );
    await copyRow('project_nav_history', entry.id, PAGE - 1, {
      project_id: 'r.project_id',
      nav_per_token: 'r.nav_per_token',
      source: 'r.source',
      effective_at: 'r.effective_at - make_interval(secs => i)',
      updated_by: 'r.updated_by',
      notes: 'r.notes',
    });

    const { items } = await readAll(`/api/projects/${projectId}/nav`, admin);

    expect(items).toHaveLength(PAGE);
    expect(items.every((item) => item.notes === notes)).toBe(true);
  });

  it('GET /api/treasury/transactions: a full page of transactions with the longest metadata and hash', async () => {
    const { admin } = await worstParties(api);
    const address = costliest(walletAddress, 64);
    const label = costliest(field(registerWalletBody, 'label'), 255);
    expectStatus('pool', await api.post('/api/wallets', { address, label, wallet_type: 'treasury', wallet_role: 'treasury_pool' }, { as: admin }), 201);
    const metadata = costliestMetadata();
    const recorded = expectStatus(
      'record transaction',
      await api.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1.00', related_tx_hash: costliest(txHash, 255), metadata }, { as: admin }),
      201,
    );
    await copyRow('treasury_pool_transactions', recorded.id, PAGE - 1, {
      type: 'r.type',
      amount_ngnts: 'r.amount_ngnts',
      destination_wallet: 'r.destination_wallet',
      related_tx_hash: 'r.related_tx_hash',
      metadata: 'r.metadata',
      recorded_by: 'r.recorded_by',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const { items } = await readAll('/api/treasury/transactions', admin);

    expect(items).toHaveLength(PAGE);
    expect(items.every((item) => JSON.stringify(item.metadata) === JSON.stringify(metadata))).toBe(true);
  });

  it('GET /api/projects/{projectId}/cashflows: a full page of cashflows with the longest source and document address', async () => {
    const { admin, projectId } = await worstParties(api);
    const body = {
      amount_ngnts: '10.00',
      source: costliest(field(recordCashflowBody, 'source'), 128),
      source_document_url: costliest(field(recordCashflowBody, 'source_document_url'), 2_048 - 'https://e.co/'.length, (text) => `https://e.co/${text}`),
    };
    const recorded = expectStatus('record cashflow', await api.post(`/api/projects/${projectId}/cashflows`, body, { as: admin }), 201);
    await copyRow('project_cashflows', recorded.id, PAGE - 1, {
      project_id: 'r.project_id',
      amount_ngnts: 'r.amount_ngnts',
      source: 'r.source',
      source_document_url: 'r.source_document_url',
      recorded_by: 'r.recorded_by',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const { items } = await readAll(`/api/projects/${projectId}/cashflows`, admin);

    expect(items).toHaveLength(PAGE);
  });

  it('GET /api/wallets: a full page of wallets with the longest address and label', async () => {
    const { admin } = await worstParties(api);
    const body = { address: costliest(walletAddress, 64), label: costliest(field(registerWalletBody, 'label'), 255), wallet_type: 'lp' };
    const registered = expectStatus('register wallet', await api.post('/api/wallets', body, { as: admin }), 201);
    await copyRow('platform_wallets', registered.id, PAGE - 1, {
      address: `lpad(i::text, 3, '0') || right(r.address, 61)`,
      label: 'r.label',
      wallet_type: 'r.wallet_type',
      wallet_role: 'r.wallet_role',
      created_at: 'r.created_at - make_interval(secs => i)',
    });

    const { items } = await readAll('/api/wallets', admin);

    expect(items).toHaveLength(PAGE);
  });

  it('GET /api/proposals: a full page of proposed inflows with the longest metadata, hash and pool address', async () => {
    const { admin, projectId } = await worstParties(api);
    const address = costliest(walletAddress, 64);
    expectStatus('pool', await api.post('/api/wallets', { address, wallet_type: 'treasury', wallet_role: 'treasury_pool' }, { as: admin }), 201);
    const metadata = costliestMetadata();
    const body = recordTreasuryTransactionBody.parse({
      type: 'inflow',
      amount_ngnts: '9'.repeat(28) + '.99',
      source_project_id: projectId,
      related_tx_hash: costliest(txHash, 255),
      metadata,
    });
    // As the route proposes it under DUAL_CONTROL=on (this file runs with it off)
    const proposal = await poolCreditProposals.propose(getDb(), admin, null, body);
    await copyRow('dual_control_proposals', proposal.id, PAGE - 1, {
      action: 'r.action',
      project_id: 'r.project_id',
      request: 'r.request',
      proposed_by: 'r.proposed_by',
      created_at: 'r.created_at - make_interval(secs => i)',
      expires_at: 'r.expires_at',
    });

    const { items } = await readAll('/api/proposals', admin);

    expect(items).toHaveLength(PAGE);
    expect(items.every((item) => JSON.stringify(item.request.metadata) === JSON.stringify(metadata))).toBe(true);
  });
});
