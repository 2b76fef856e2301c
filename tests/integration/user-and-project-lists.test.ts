import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { type ApiResponse, newUser, useApi } from '../support/api';
import { createProject, registerUser, rowCounts } from '../support/fixtures';
import { readAllPages } from '../support/list-routes';

const api = useApi();

function expectOk(response: ApiResponse) {
  expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(200);
  return response.body as { items: Array<Record<string, unknown>>; next_cursor: string | null };
}

/** Gives every row of `table` the same creation instant, as rows written in one microsecond have. */
async function sameCreationInstant(table: 'users' | 'projects') {
  await sql`UPDATE ${sql.table(table)} SET created_at = '2026-11-29T10:00:00.123456Z'`.execute(getDb());
}

describe('GET /api/projects', () => {
  it('lists every project to any signed-in caller, newest first, as GET /api/projects/{id} shows each', async () => {
    // Prepare
    const admin = newUser('admin');
    const lp = newUser('lp');
    const first = await createProject(api, admin, 'Lagos Solar');
    const second = await createProject(api, admin, 'Abuja Wind');

    // Act
    const page = expectOk(await api.get('/api/projects', { as: lp }));

    // Assess
    expect(page.items.map((item) => item.id)).toEqual([second, first]);
    expect(page.items[1]).toEqual((await api.get(`/api/projects/${first}`, { as: lp })).body);
    expect(page.next_cursor).toBeNull();
  });

  it('pages with limit and cursor, every project once, ties on the creation instant broken by id', async () => {
    // Prepare
    const admin = newUser('admin');
    const ids = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) ids.push(await createProject(api, admin, name));
    await sameCreationInstant('projects');

    // Act
    const { items, pages } = await readAllPages(api, '/api/projects', admin, 2);

    // Assess
    expect(pages).toBe(3);
    expect(items.map((item) => item.id)).toEqual([...ids].sort().reverse());
  });

  it('finds a project again by listing, as after a restart of the local stack', async () => {
    const admin = newUser('admin');
    const project = await createProject(api, admin, 'Lagos Solar');

    const page = expectOk(await api.get('/api/projects?limit=1', { as: newUser('admin') }));

    expect(page.items).toEqual([expect.objectContaining({ id: project, name: 'Lagos Solar' })]);
  });
});

describe('GET /api/users', () => {
  async function seedUsers() {
    const admin = newUser('admin', 'Ada');
    const alice = newUser('lp', 'alice');
    const bob = newUser('lp', 'bob');
    const root = newUser('admin', 'root');
    for (const user of [admin, alice, bob]) await registerUser(api, root, user);
    return { root, admin, alice, bob };
  }

  it('lists every user to an admin, newest first, with their e-mail, name and role', async () => {
    // Prepare
    const { root, admin, alice, bob } = await seedUsers();

    // Act
    const page = expectOk(await api.get('/api/users', { as: root }));

    // Assess: root was provisioned by its first call, before it registered the others
    expect(page.items.map((item) => item.id)).toEqual([bob.id, alice.id, admin.id, root.id]);
    expect(page.items[0]).toEqual({ id: bob.id, email: bob.email, name: 'bob', role: 'lp', created_at: expect.any(String) });
    expect(page.next_cursor).toBeNull();
  });

  it('filters by role', async () => {
    const { root, alice, bob } = await seedUsers();

    const page = expectOk(await api.get('/api/users?role=lp', { as: root }));

    expect(page.items.map((item) => item.id)).toEqual([bob.id, alice.id]);
  });

  it('filters by e-mail: the one user who holds it, in any case, and no one for a part of it', async () => {
    // Prepare
    const { root, alice } = await seedUsers();

    // Act
    const exact = expectOk(await api.get(`/api/users?email=${encodeURIComponent(alice.email.toUpperCase())}`, { as: root }));
    const part = expectOk(await api.get(`/api/users?email=${encodeURIComponent(`x${alice.email}`)}`, { as: root }));
    const otherRole = expectOk(await api.get(`/api/users?role=admin&email=${encodeURIComponent(alice.email)}`, { as: root }));

    // Assess
    expect(exact.items.map((item) => item.id)).toEqual([alice.id]);
    expect(part.items).toEqual([]);
    expect(otherRole.items).toEqual([]);
  });

  it('pages with limit and cursor, every user once, ties on the creation instant broken by id', async () => {
    const { root, admin, alice, bob } = await seedUsers();
    await sameCreationInstant('users');

    const { items, pages } = await readAllPages(api, '/api/users', root, 3);

    expect(pages).toBe(2);
    expect(items.map((item) => item.id)).toEqual([root.id, admin.id, alice.id, bob.id].sort().reverse());
  });

  it.each([
    { case: 'a role that is not one', query: 'role=owner', field: 'role' },
    { case: 'an e-mail that is not one', query: 'email=alice', field: 'email' },
    { case: 'an unknown filter', query: 'name=alice', field: '' },
  ])('answers 400 for $case, writing nothing', async ({ query, field }) => {
    const { root } = await seedUsers();
    const before = await rowCounts();

    const response = await api.get(`/api/users?${query}`, { as: root });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors).toContainEqual(expect.objectContaining({ location: 'query', field }));
    expect(await rowCounts()).toEqual(before);
  });
});
