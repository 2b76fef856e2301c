/** Treasury fixtures made through the API, as an admin would (tests/support/treasury-fixtures.ts writes rows directly). */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { type Api, expectStatus, newUser, type TestUser } from './api';

/** A fresh EVM-style address. */
export const newAddress = () => `0x${randomBytes(20).toString('hex')}`;

export async function registerWallet(
  api: Api,
  admin: TestUser,
  fields: Partial<{ address: string; wallet_type: string; wallet_role: string; min_reserve_threshold: string; project_id: string; label: string }> = {},
) {
  const response = await api.post('/api/wallets', { address: newAddress(), wallet_type: 'admin', ...fields }, { as: admin });
  return expectStatus('register wallet', response, 201);
}

/** Registers the treasury pool wallet, optionally with a minimum reserve and an opening inflow. */
export async function registerPool(api: Api, admin: TestUser, options: { minReserve?: string; opening?: string } = {}) {
  const pool = await registerWallet(api, admin, {
    wallet_type: 'treasury',
    ...(options.minReserve === undefined ? {} : { min_reserve_threshold: options.minReserve }),
  });
  if (options.opening !== undefined) await recordTransaction(api, admin, { type: 'inflow', amount_ngnts: options.opening });
  return pool;
}

export async function recordTransaction(api: Api, admin: TestUser, body: Record<string, unknown>) {
  return expectStatus('treasury transaction', await api.post('/api/treasury/transactions', body, { as: admin }), 201);
}

export async function recordCashflow(api: Api, admin: TestUser, projectId: string, amount = '1000.00') {
  const response = await api.post(
    `/api/projects/${projectId}/cashflows`,
    { amount_ngnts: amount, source: 'PPA invoice', source_document_url: 'https://docs.example.com/ppa/2026-03.pdf' },
    { as: admin },
  );
  return expectStatus('record cashflow', response, 201);
}

/** A cashflow recorded by one admin and verified by another (then tokenized if asked). */
export async function cashflowIn(
  api: Api,
  projectId: string,
  status: 'recorded' | 'verified' | 'tokenized',
  amount = '1000.00',
) {
  const recorder = newUser('admin', 'recorder');
  const verifier = newUser('admin', 'verifier');
  const cashflow = await recordCashflow(api, recorder, projectId, amount);
  if (status !== 'recorded') {
    expectStatus('verify cashflow', await api.post(`/api/cashflows/${cashflow.id}/verify`, undefined, { as: verifier }), 200);
  }
  if (status === 'tokenized') {
    const tokenized = await api.post(`/api/cashflows/${cashflow.id}/tokenize`, { chain_tx_hash: '0xabc' }, { as: verifier });
    expectStatus('tokenize cashflow', tokenized, 200);
  }
  return { id: cashflow.id as string, recorder, verifier };
}

export async function recordNav(api: Api, admin: TestUser, projectId: string, navPerToken: string, effectiveAt?: string) {
  const body = { nav_per_token: navPerToken, source: 'audited', ...(effectiveAt === undefined ? {} : { effective_at: effectiveAt }) };
  return expectStatus('record NAV', await api.post(`/api/projects/${projectId}/nav`, body, { as: admin }), 201);
}

/** The audit rows written for an action, oldest first. */
export async function auditRows(action: string) {
  const { rows } = await sql<{ admin_id: string; target: Record<string, unknown>; details: Record<string, unknown> }>`
    SELECT admin_id, target, details FROM audit_admin_actions WHERE action = ${action} ORDER BY created_at`.execute(getDb());
  return rows;
}

/** Every item of a list, following `next_cursor` page by page. */
export async function allPages(api: Api, as: TestUser, path: string, limit: number) {
  const items: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query: string = `${separator}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = expectStatus(`list ${path}`, await api.get(`${path}${query}`, { as }), 200);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}
