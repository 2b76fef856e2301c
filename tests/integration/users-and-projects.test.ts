import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, useApi } from '../support/api';
import { createProject, registerUser, rowCounts } from '../support/fixtures';

const api = useApi();

async function auditRows(action: string) {
  const { rows } = await sql<{ admin_id: string; target: Record<string, string>; details: Record<string, unknown> }>`
    SELECT admin_id, target, details FROM audit_admin_actions WHERE action = ${action}`.execute(getDb());
  return rows;
}

describe('callers', () => {
  it('are provisioned from their token claims on first call', async () => {
    // Prepare
    const lp = newUser('lp', 'Lola');

    // Act
    await api.get('/api/health', { as: lp });
    const before = await rowCounts();
    const response = await api.get('/api/projects/00000000-0000-4000-8000-000000000000', { as: lp });

    // Assess
    expect(response.status).toBe(404);
    expect(before.users).toBe(0); // a public route provisions nobody
    const { rows } = await sql`SELECT id, email, name, role FROM users`.execute(getDb());
    expect(rows).toEqual([{ id: lp.id, email: lp.email, name: 'Lola', role: 'lp' }]);
  });

  it('keep the role their identity provider gives them', async () => {
    const user = newUser('lp');
    await api.get('/api/projects/00000000-0000-4000-8000-000000000000', { as: user });
    await api.get('/api/setup/verify-database', { as: { ...user, role: 'admin' } });
    const { rows } = await sql<{ role: string }>`SELECT role FROM users`.execute(getDb());
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('cannot take an email registered to another user without a verified token, and are not refused for it', async () => {
    const admin = newUser('admin');
    const registered = newUser('lp');
    await registerUser(api, admin, registered);
    const impostor = { ...newUser('lp'), email: registered.email.toUpperCase(), emailVerified: false };
    const response = await api.get('/api/projects/00000000-0000-4000-8000-000000000000', { as: impostor });
    expect(response.status).toBe(404);
    const { rows } = await sql`SELECT id, email FROM users WHERE role = 'lp' ORDER BY email NULLS LAST`.execute(getDb());
    expect(rows).toEqual([{ id: registered.id, email: registered.email }, { id: impostor.id, email: null }]);
  });
});

describe('POST /api/users', () => {
  it('pre-registers a user and audits it', async () => {
    const admin = newUser('admin');
    const lp = newUser('lp', 'Pat');

    const response = await api.post('/api/users', { id: lp.id, email: lp.email, name: 'Pat', role: 'lp' }, { as: admin });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: lp.id, email: lp.email, name: 'Pat', role: 'lp' });
    expect(await auditRows('user.register')).toEqual([
      { admin_id: admin.id, target: { user_id: lp.id }, details: { email: lp.email, role: 'lp' } },
    ]);
  });

  it.each([
    { case: 'the same id', change: (u: ReturnType<typeof newUser>) => ({ ...u, email: 'other@example.com' }) },
    { case: 'the same email in another case', change: (u: ReturnType<typeof newUser>) => ({ ...newUser('lp'), email: u.email.toUpperCase() }) },
  ])('answers 409 for $case, writing nothing', async ({ change }) => {
    const admin = newUser('admin');
    const lp = newUser('lp');
    await registerUser(api, admin, lp);
    const before = await rowCounts();

    const again = change(lp);
    const response = await api.post('/api/users', { id: again.id, email: again.email, role: 'lp' }, { as: admin });

    expect(response.status).toBe(409);
    expect(response.body.detail).toContain(lp.id); // whose id or e-mail it is, for an admin to fix
    expect(await rowCounts()).toEqual(before);
  });
});

describe('projects', () => {
  it('are created by an admin, audited, and readable by any signed-in user', async () => {
    const admin = newUser('admin');

    const createdResponse = await api.post('/api/projects', { name: '  Lagos Solar  ' }, { as: admin });
    const read = await api.get(`/api/projects/${createdResponse.body.id}`, { as: newUser('lp') });

    expect(createdResponse.status).toBe(201);
    expect(createdResponse.headers.get('location')).toBe(`/api/projects/${createdResponse.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id: createdResponse.body.id,
      name: 'Lagos Solar',
      status: 'active',
      current_nav_per_token: null,
      created_by: admin.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await auditRows('project.create')).toEqual([
      { admin_id: admin.id, target: { project_id: createdResponse.body.id }, details: { name: 'Lagos Solar', status: 'active' } },
    ]);
  });

  it('answers 404 Problem Details for a project that does not exist', async () => {
    const response = await api.get('/api/projects/00000000-0000-4000-8000-000000000000', { as: newUser('admin') });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404, resource: 'Project' });
  });

  it('have a health route that needs no token', async () => {
    expect((await api.get('/api/health')).body).toEqual({ status: 'ok' });
    await createProject(api, newUser('admin'));
  });
});
