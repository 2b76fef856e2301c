import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import type { UserRole } from '../../shared/db/schema';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, registerUser, rowCounts, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

// Issue 11, item 4: the first token to use an e-mail owned it, everyone else with it got 409 on
// every call; an e-mail changed at the identity provider never reached `users`; email_verified
// was not checked; role changes taken from the token were not audited.

/** Any signed-in route will do: the caller's row is kept in step before the route runs. */
const SIGNED_IN_ROUTE = '/api/projects/00000000-0000-4000-8000-000000000000';
const SIGNED_IN_ROUTE_STATUS = 404;

/** Token issue times, a second apart, in the past (a token's `iat` has a one-second grain). */
const base = Math.floor(Date.now() / 1000) - 3600;
const second = (n: number) => new Date((base + n) * 1000);

interface TokenSays {
  email?: string;
  verified?: boolean;
  role?: UserRole;
  issuedAt: Date;
}

/** A call with a token issued at `issuedAt` saying what `says` says about `user`. */
async function callAs(user: TestUser, says: TokenSays) {
  const token = await api.identity.sign({
    sub: user.id,
    email: says.email ?? user.email,
    emailVerified: says.verified ?? true,
    name: user.name,
    groups: (says.role ?? user.role) === 'admin' ? ['admin'] : [],
    issuedAt: says.issuedAt,
  });
  return api.get(SIGNED_IN_ROUTE, { token });
}

async function expectThrough(user: TestUser, says: TokenSays) {
  const response = await callAs(user, says);
  expect(response.status, JSON.stringify(response.body)).toBe(SIGNED_IN_ROUTE_STATUS);
}

async function userRow(id: string) {
  const { rows } = await sql<{ email: string | null; role: string }>`SELECT email, role FROM users WHERE id = ${id}::uuid`.execute(getDb());
  return rows[0];
}

async function userAudit(action: string) {
  const { rows } = await sql<{ admin_id: string | null; target: Record<string, string>; details: Record<string, unknown> }>`
    SELECT admin_id, target, details FROM audit_admin_actions WHERE action = ${action} ORDER BY created_at`.execute(getDb());
  return rows;
}

describe("a caller's e-mail", () => {
  it('is taken from the token only when the identity provider has verified it', async () => {
    // Prepare: a squatter's token carries someone else's address, unverified, and comes first
    const owner = newUser('lp');
    const squatter = newUser('lp');

    // Act
    await expectThrough(squatter, { email: owner.email.toUpperCase(), verified: false, issuedAt: second(1) });
    await expectThrough(owner, { issuedAt: second(2) });

    // Assess
    expect(await userRow(squatter.id)).toEqual({ email: null, role: 'lp' });
    expect(await userRow(owner.id)).toEqual({ email: owner.email, role: 'lp' });
  });

  it('passes to a newer verified owner; the previous holder keeps working, without it', async () => {
    // Prepare: the address moved at the identity provider from `before` to `after`
    const before = newUser('lp');
    const after = newUser('lp');
    const address = before.email;
    await expectThrough(before, { email: address, issuedAt: second(1) });

    // Act: the newer owner calls, then the previous one with the token issued before the move
    await expectThrough(after, { email: address, issuedAt: second(2) });
    await expectThrough(before, { email: address, issuedAt: second(1) });

    // Assess
    expect(await userRow(after.id)).toEqual({ email: address, role: 'lp' });
    expect(await userRow(before.id)).toEqual({ email: null, role: 'lp' });
    expect(await userAudit('user.email_release')).toEqual([
      { admin_id: null, target: { user_id: before.id }, details: { email: address, taken_by: after.id } },
    ]);
  });

  it('is not taken from its holder by a token older than the one that gave it to them', async () => {
    const holder = newUser('lp');
    const late = newUser('lp');
    await expectThrough(holder, { issuedAt: second(5) });

    await expectThrough(late, { email: holder.email, issuedAt: second(4) });

    expect(await userRow(holder.id)).toEqual({ email: holder.email, role: 'lp' });
    expect(await userRow(late.id)).toEqual({ email: null, role: 'lp' });
    expect(await userAudit('user.email_release')).toEqual([]);
  });

  it('follows the identity provider: a newer verified token changes it, audited; older or unverified ones do not', async () => {
    // Prepare
    const user = newUser('lp');
    const changed = `changed-${user.email}`;
    await expectThrough(user, { issuedAt: second(1) });

    // Act
    await expectThrough(user, { email: changed, issuedAt: second(2) });
    await expectThrough(user, { email: user.email, issuedAt: second(1) });
    await expectThrough(user, { email: `unverified-${user.email}`, verified: false, issuedAt: second(3) });

    // Assess
    expect(await userRow(user.id)).toEqual({ email: changed, role: 'lp' });
    expect(await userAudit('user.email_change')).toEqual([
      { admin_id: null, target: { user_id: user.id }, details: { previous_email: user.email, email: changed, source: 'identity_provider' } },
    ]);
  });

  it('reaches the payment file: the allocations CSV carries the current e-mail', async () => {
    // Prepare: an LP pre-registered by an admin under an old address, with an allocation
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [holder] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();
    const current = `current-${holder.email}`;
    const csvEmail = async () => {
      const csv = await api.get(`/api/distributions/${eventId}/allocations.csv`, { as: admin });
      expect(csv.status).toBe(200);
      return String(csv.body).trim().split('\r\n')[1]?.split(',').slice(0, 2);
    };

    // Act / Assess: the LP signs in with the address the identity provider now verifies
    await expectThrough(holder, { email: current, issuedAt: second(1) });
    expect(await csvEmail()).toEqual([holder.id, current]);

    // Act / Assess: the address moves to someone else; the file leaves the cell empty, not stale
    await expectThrough(newUser('lp'), { email: current, issuedAt: second(2) });
    expect(await csvEmail()).toEqual([holder.id, '']);
  });

  it('settles on one holder when two users claim it at once, and nobody gets an error', async () => {
    for (let round = 0; round < 4; round += 1) {
      const older = newUser('lp');
      const newer = newUser('lp');
      const address = `shared-${round}-${older.email}`;

      const responses = await Promise.all([
        callAs(older, { email: address, issuedAt: second(1) }),
        callAs(newer, { email: address, issuedAt: second(2) }),
      ]);

      expect(responses.map((response) => response.status)).toEqual([SIGNED_IN_ROUTE_STATUS, SIGNED_IN_ROUTE_STATUS]);
      expect(await userRow(newer.id)).toEqual({ email: address, role: 'lp' });
      expect(await userRow(older.id)).toEqual({ email: null, role: 'lp' });
    }
  });
});

describe("a caller's role", () => {
  it('is provisioned and then follows the admin group, every change audited with the platform as actor', async () => {
    const user = newUser('lp');

    await expectThrough(user, { role: 'lp', issuedAt: second(1) });
    await expectThrough(user, { role: 'admin', issuedAt: second(2) });
    await expectThrough(user, { role: 'lp', issuedAt: second(3) });

    expect(await userRow(user.id)).toEqual({ email: user.email, role: 'lp' });
    expect(await userAudit('user.provision')).toEqual([
      { admin_id: null, target: { user_id: user.id }, details: { email: user.email, role: 'lp', source: 'identity_provider' } },
    ]);
    expect(await userAudit('user.role_change')).toEqual([
      { admin_id: null, target: { user_id: user.id }, details: { previous_role: 'lp', role: 'admin', source: 'identity_provider' } },
      { admin_id: null, target: { user_id: user.id }, details: { previous_role: 'admin', role: 'lp', source: 'identity_provider' } },
    ]);
  });
});

describe('PATCH /api/users/{id}: an admin fixes what the identity provider leaves', () => {
  const setEmail = (admin: TestUser, userId: string, email: string | null) =>
    api.request('PATCH', `/api/users/${userId}`, { as: admin, body: { email } });

  it("sets a user's e-mail, audited; an older token does not undo it, a newer verified one replaces it", async () => {
    // Prepare: an LP whose identity provider does not verify their address
    const admin = newUser('admin');
    const lp = newUser('lp');
    await expectThrough(lp, { verified: false, issuedAt: second(1) });
    const fixed = `fixed-${lp.email}`;

    // Act
    const response = await setEmail(admin, lp.id, fixed);
    await expectThrough(lp, { email: lp.email, issuedAt: second(2) });
    const afterOlderToken = await userRow(lp.id);
    const newer = new Date(Date.now() + 2000);
    await expectThrough(lp, { email: lp.email, issuedAt: newer });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: lp.id, email: fixed, role: 'lp' });
    expect(afterOlderToken).toEqual({ email: fixed, role: 'lp' });
    expect(await userRow(lp.id)).toEqual({ email: lp.email, role: 'lp' });
    expect(await userAudit('user.email_change')).toEqual([
      { admin_id: admin.id, target: { user_id: lp.id }, details: { previous_email: null, email: fixed, source: 'admin' } },
      { admin_id: null, target: { user_id: lp.id }, details: { previous_email: fixed, email: lp.email, source: 'identity_provider' } },
    ]);
  });

  it("clears a user's e-mail, so that another may be given it", async () => {
    const admin = newUser('admin');
    const [wrong, right] = [newUser('lp'), newUser('lp')];
    await registerUser(api, admin, wrong);
    await registerUser(api, admin, { ...right, email: `right-${right.email}` });

    const cleared = await setEmail(admin, wrong.id, null);
    const given = await setEmail(admin, right.id, wrong.email);

    expect([cleared.status, given.status]).toEqual([200, 200]);
    expect(await userRow(wrong.id)).toEqual({ email: null, role: 'lp' });
    expect(await userRow(right.id)).toEqual({ email: wrong.email, role: 'lp' });
  });

  it('gives one of two users an e-mail two admins give at once, and refuses the other with 409', async () => {
    const admin = newUser('admin');
    for (let round = 0; round < 4; round += 1) {
      const [one, other] = [newUser('lp'), newUser('lp')];
      await registerUser(api, admin, one);
      await registerUser(api, admin, other);
      const address = `contested-${round}-${one.email}`;

      const responses = await Promise.all([setEmail(admin, one.id, address), setEmail(admin, other.id, address)]);

      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    }
  });

  it.each([
    { case: "another user's e-mail (in any case)", status: 409, target: 'other', email: (holder: TestUser) => holder.email.toUpperCase() },
    { case: 'a user that does not exist', status: 404, target: 'missing', email: () => 'someone@example.com' },
  ])('refuses $case with $status, writing nothing', async ({ status, target, email }) => {
    const admin = newUser('admin');
    const [holder, other] = [newUser('lp'), newUser('lp')];
    await registerUser(api, admin, holder);
    await registerUser(api, admin, other);
    const before = await rowCounts();

    const userId = target === 'other' ? other.id : '00000000-0000-4000-8000-0000000000ff';
    const response = await setEmail(admin, userId, email(holder));

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await rowCounts()).toEqual(before);
    expect(await userRow(other.id)).toEqual({ email: other.email, role: 'lp' });
  });

  it.each([
    { case: 'an e-mail that is not an address', path: 'user', body: { email: 'nope' }, field: 'email' },
    { case: 'an e-mail longer than users.email takes', path: 'user', body: { email: `${'x'.repeat(310)}@example.com` }, field: 'email' },
    { case: 'no e-mail (null clears it, absent says nothing)', path: 'user', body: {}, field: 'email' },
    { case: 'an unknown field', path: 'user', body: { email: null, role: 'admin' } },
    { case: 'a user id that is not a UUID', path: '42', body: { email: null }, field: 'id' },
  ])('answers $case with 400 Problem Details, writing nothing', async ({ path, body, field }) => {
    const admin = newUser('admin');
    const lp = newUser('lp');
    await registerUser(api, admin, lp);
    const before = await rowCounts();

    const response = await api.request('PATCH', `/api/users/${path === 'user' ? lp.id : path}`, { as: admin, body });

    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body).toMatchObject({ type: '/problems/validation-error', status: 400 });
    if (field !== undefined) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });
});
