import { describe, expect, it } from 'vitest';
import { newUser, useApi } from '../support/api';
import { createProject, registerUser, rowCounts } from '../support/fixtures';

const api = useApi();

interface BadRequest {
  case: string;
  method: 'GET' | 'POST';
  path: (projectId: string) => string;
  body?: unknown;
  rawBody?: string;
  field?: string;
}

const holderId = '00000000-0000-4000-8000-0000000000b1';

const badRequests: BadRequest[] = [
  { case: 'user without email', method: 'POST', path: () => '/api/users', body: { id: holderId, role: 'lp' }, field: 'email' },
  { case: 'user with unknown role', method: 'POST', path: () => '/api/users', body: { id: holderId, email: 'a@b.co', role: 'root' }, field: 'role' },
  { case: 'user id not a UUID', method: 'POST', path: () => '/api/users', body: { id: '42', email: 'a@b.co', role: 'lp' }, field: 'id' },
  { case: 'user with unknown field', method: 'POST', path: () => '/api/users', body: { id: holderId, email: 'a@b.co', role: 'lp', admin: true } },
  { case: 'project without name', method: 'POST', path: () => '/api/projects', body: {}, field: 'name' },
  { case: 'project name too long', method: 'POST', path: () => '/api/projects', body: { name: 'x'.repeat(256) }, field: 'name' },
  { case: 'project body not JSON', method: 'POST', path: () => '/api/projects', rawBody: '{"name":' },
  { case: 'project body an array', method: 'POST', path: () => '/api/projects', body: [{ name: 'x' }] },
  { case: 'project body missing', method: 'POST', path: () => '/api/projects' },
  { case: 'project id not a UUID', method: 'GET', path: () => '/api/projects/not-a-uuid', field: 'id' },
  { case: 'amount as a JSON number', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'issue', holder_id: holderId, amount: 10 }, field: 'amount' },
  { case: 'negative amount', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'issue', holder_id: holderId, amount: '-1' }, field: 'amount' },
  { case: 'over-scale amount', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'issue', holder_id: holderId, amount: '1.12345678' }, field: 'amount' },
  { case: 'unknown movement kind', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'mint', holder_id: holderId, amount: '1' }, field: 'kind' },
  { case: 'transfer without recipient', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'transfer', holder_id: holderId, amount: '1' }, field: 'to_holder_id' },
  { case: 'effective_at without zone', method: 'POST', path: (p) => `/api/projects/${p}/lp-tokens`, body: { kind: 'issue', holder_id: holderId, amount: '1', effective_at: '2026-01-01T00:00:00' }, field: 'effective_at' },
  { case: 'project path not a UUID', method: 'POST', path: () => '/api/projects/x/lp-tokens', body: { kind: 'issue', holder_id: holderId, amount: '1' }, field: 'projectId' },
  { case: 'as_of not an instant', method: 'GET', path: (p) => `/api/projects/${p}/holders?as_of=yesterday`, field: 'as_of' },
  { case: 'limit out of range', method: 'GET', path: (p) => `/api/projects/${p}/holders?limit=100000`, field: 'limit' },
  { case: 'forged cursor', method: 'GET', path: (p) => `/api/projects/${p}/holders?cursor=abc`, field: 'cursor' },
  { case: 'body a JSON string', method: 'POST', path: () => '/api/projects', rawBody: '"just a string"' },
  // Issue 11: a NUL byte reached Postgres and answered 500; other control characters cost 6 bytes a
  // character in a Data API answer, more than the reads are sized for. Newline and tab are text.
  { case: 'project name with a NUL byte', method: 'POST', path: () => '/api/projects', body: { name: 'Solar\u0000' }, field: 'name' },
  { case: 'user name with an escape character', method: 'POST', path: () => '/api/users', body: { id: holderId, email: 'a@b.co', name: '\u001b[31mred', role: 'lp' }, field: 'name' },
  {
    case: 'event description with a control character',
    method: 'POST',
    path: () => '/api/distributions',
    body: { project_id: holderId, event_type: 'revenue', title: 'Q1', description: 'line\u0001', total_amount: '1', distribution_date: '2026-01-01T00:00:00Z' },
    field: 'description',
  },
  {
    case: 'event title with a carriage return',
    method: 'POST',
    path: () => '/api/distributions',
    body: { project_id: holderId, event_type: 'revenue', title: 'Q1\rQ2', total_amount: '1', distribution_date: '2026-01-01T00:00:00Z' },
    field: 'title',
  },
];

describe('malformed input', () => {
  it.each(badRequests)('$case → 400 Problem Details, nothing written', async (bad) => {
    // Prepare
    const admin = newUser('admin');
    await registerUser(api, admin, newUser('lp'));
    const projectId = await createProject(api, admin);
    const before = await rowCounts();

    // Act
    const response = await api.request(bad.method, bad.path(projectId), {
      as: admin,
      body: bad.body,
      rawBody: bad.rawBody,
      headers: bad.rawBody === undefined ? {} : { 'content-type': 'application/json' },
    });

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/validation-error', status: 400 });
    expect(response.body.errors.length).toBeGreaterThan(0);
    if (bad.field !== undefined) {
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(bad.field);
    }
    expect(await rowCounts()).toEqual(before);
  });
});
