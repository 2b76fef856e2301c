import { describe, expect, it } from 'vitest';
import { newUser, useApi } from '../support/api';
import { createProject, rowCounts } from '../support/fixtures';
import { registerPool, registerWallet } from '../support/treasury-api';

const api = useApi();

interface Fixture {
  projectId: string;
  pool: string;
  wallet: string;
  walletId: string;
}

interface BadRequest {
  case: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  field?: string;
}

const nav = (body: Record<string, unknown>) => ({ nav_per_token: '1.5', source: 'manual', ...body });
const cashflow = (body: Record<string, unknown>) => ({ amount_ngnts: '10.00', source: 'invoice', source_document_url: 'https://e.com/a.pdf', ...body });
const tx = (body: Record<string, unknown>) => ({ amount_ngnts: '1.00', ...body });
const some = '00000000-0000-4000-8000-0000000000c1';

const badRequests: BadRequest[] = [
  { case: 'NAV as a JSON number', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ nav_per_token: 1.5 }), field: 'nav_per_token' },
  { case: 'NAV of zero', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ nav_per_token: '0' }), field: 'nav_per_token' },
  { case: 'NAV with 9 decimals', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ nav_per_token: '1.123456789' }), field: 'nav_per_token' },
  { case: 'unknown NAV source', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ source: 'guess' }), field: 'source' },
  { case: 'NAV effective_at without zone', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ effective_at: '2026-01-01T00:00:00' }), field: 'effective_at' },
  { case: 'NAV with an unknown field', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ project_id: some }) },
  { case: 'NAV as_of not an instant', method: 'GET', path: (f) => `/api/projects/${f.projectId}/nav/latest?as_of=today`, field: 'as_of' },
  { case: 'NAV history forged cursor', method: 'GET', path: (f) => `/api/projects/${f.projectId}/nav?cursor=abc`, field: 'cursor' },
  { case: 'NAV history limit out of range', method: 'GET', path: (f) => `/api/projects/${f.projectId}/nav?limit=0`, field: 'limit' },

  { case: 'cashflow amount with 3 decimals', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ amount_ngnts: '1.005' }), field: 'amount_ngnts' },
  { case: 'negative cashflow amount', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ amount_ngnts: '-1' }), field: 'amount_ngnts' },
  { case: 'cashflow without source', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ source: undefined }), field: 'source' },
  { case: 'cashflow document not a URL', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ source_document_url: 'invoice.pdf' }), field: 'source_document_url' },
  { case: 'cashflow document over FTP', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ source_document_url: 'ftp://e.com/a.pdf' }), field: 'source_document_url' },
  { case: 'cashflow status unknown', method: 'GET', path: (f) => `/api/projects/${f.projectId}/cashflows?status=paid`, field: 'status' },
  { case: 'cashflow id not a UUID', method: 'POST', path: () => '/api/cashflows/42/verify', field: 'id' },
  { case: 'verify with a body', method: 'POST', path: () => `/api/cashflows/${some}/verify`, body: () => ({ verified_by: some }) },
  { case: 'tokenize without hash', method: 'POST', path: () => `/api/cashflows/${some}/tokenize`, body: () => ({}), field: 'chain_tx_hash' },
  { case: 'tokenize with a spaced hash', method: 'POST', path: () => `/api/cashflows/${some}/tokenize`, body: () => ({ chain_tx_hash: '0x1 0x2' }), field: 'chain_tx_hash' },

  { case: 'unknown transaction type', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'gift' }), field: 'type' },
  { case: 'zero transaction amount', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'inflow', amount_ngnts: '0' }), field: 'amount_ngnts' },
  { case: 'inflow from a wallet', method: 'POST', path: () => '/api/treasury/transactions', body: (f) => tx({ type: 'inflow', source_wallet: f.wallet }), field: 'source_wallet' },
  { case: 'buyback without source', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'buyback' }), field: 'source_wallet' },
  { case: 'fee to a wallet', method: 'POST', path: () => '/api/treasury/transactions', body: (f) => tx({ type: 'fee', source_wallet: f.pool, destination_wallet: f.wallet }), field: 'destination_wallet' },
  { case: 'allocation without destination', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'allocation' }), field: 'destination_wallet' },
  { case: 'cashflow on a buyback', method: 'POST', path: () => '/api/treasury/transactions', body: (f) => tx({ type: 'buyback', source_wallet: f.pool, cashflow_id: some }), field: 'cashflow_id' },
  { case: 'replenish from the destination', method: 'POST', path: () => '/api/treasury/transactions', body: (f) => tx({ type: 'replenish', source_wallet: f.pool, destination_wallet: f.pool }), field: 'destination_wallet' },
  { case: 'metadata an array', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'inflow', metadata: [1] }), field: 'metadata' },
  { case: 'metadata with a NUL byte', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'inflow', metadata: { memo: 'a\u0000' } }), field: 'metadata.memo' },
  // 1e308 is 6 characters of JSON but 309 digits as Postgres keeps it: counted as written out.
  { case: 'metadata of numbers too long written out', method: 'POST', path: () => '/api/treasury/transactions', body: () => tx({ type: 'inflow', metadata: { n: Array.from({ length: 60 }, () => 1e308) } }), field: 'metadata' },
  { case: 'NAV notes with a control character', method: 'POST', path: (f) => `/api/projects/${f.projectId}/nav`, body: () => nav({ notes: 'audited\u0007' }), field: 'notes' },
  { case: 'cashflow document with a control character', method: 'POST', path: (f) => `/api/projects/${f.projectId}/cashflows`, body: () => cashflow({ source_document_url: 'https://e.com/a\u0001.pdf' }), field: 'source_document_url' },
  { case: 'wallet address with a control character', method: 'POST', path: () => '/api/wallets', body: () => ({ address: '0x\u0001', wallet_type: 'lp' }), field: 'address' },
  { case: 'transactions by unknown type', method: 'GET', path: () => '/api/treasury/transactions?type=gift', field: 'type' },
  { case: 'transactions by project not a UUID', method: 'GET', path: () => '/api/treasury/transactions?project_id=solar', field: 'project_id' },

  { case: 'wallet address of 65 characters', method: 'POST', path: () => '/api/wallets', body: () => ({ address: 'a'.repeat(65), wallet_type: 'lp' }), field: 'address' },
  { case: 'wallet address with a space', method: 'POST', path: () => '/api/wallets', body: () => ({ address: '0x1 2', wallet_type: 'lp' }), field: 'address' },
  { case: 'unknown wallet type', method: 'POST', path: () => '/api/wallets', body: () => ({ address: '0x12', wallet_type: 'cold' }), field: 'wallet_type' },
  { case: 'unknown wallet role', method: 'POST', path: () => '/api/wallets', body: () => ({ address: '0x12', wallet_type: 'lp', wallet_role: 'vault' }), field: 'wallet_role' },
  { case: 'negative reserve', method: 'POST', path: () => '/api/wallets', body: () => ({ address: '0x12', wallet_type: 'lp', min_reserve_threshold: '-0.01' }), field: 'min_reserve_threshold' },
  { case: 'settings with nothing to set', method: 'PATCH', path: (f) => `/api/wallets/${f.walletId}`, body: () => ({}) },
  { case: 'settings changing the address', method: 'PATCH', path: (f) => `/api/wallets/${f.walletId}`, body: () => ({ address: '0x99' }) },
  { case: 'settings for a wallet id not a UUID', method: 'PATCH', path: () => '/api/wallets/7', body: () => ({ min_reserve_threshold: '1' }), field: 'id' },
  { case: 'wallets by unknown role', method: 'GET', path: () => '/api/wallets?wallet_role=vault', field: 'wallet_role' },
];

describe('malformed treasury input', () => {
  it.each(badRequests)('$case → 400 Problem Details, nothing written', async (bad) => {
    // Prepare: everything a valid request would need exists
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const pool = await registerPool(api, admin, { opening: '100.00' });
    const wallet = await registerWallet(api, admin);
    const fixture: Fixture = { projectId, pool: pool.address, wallet: wallet.address, walletId: wallet.id };
    const before = await rowCounts();

    // Act
    const response = await api.request(bad.method, bad.path(fixture), { as: admin, body: bad.body?.(fixture) });

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/validation-error', status: 400 });
    if (bad.field !== undefined) {
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(bad.field);
    }
    expect(await rowCounts()).toEqual(before);
  });
});
