import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, moveTokens, registerUser, rowCounts } from '../support/fixtures';
import { recordNav } from '../support/treasury-api';

const api = useApi();

interface Fixture {
  admin: TestUser;
  lp: TestUser;
  projectId: string;
}

async function seed(): Promise<Fixture> {
  const admin = newUser('admin');
  const lp = newUser('lp');
  await registerUser(api, admin, lp);
  return { admin, lp, projectId: await createProject(api, admin) };
}

/** Every field that takes an instant, as a request carrying `instant` in it. */
const instantFields = [
  { field: 'as_of', send: (f: Fixture, at: string) => api.get(`/api/projects/${f.projectId}/holders?as_of=${encodeURIComponent(at)}`, { as: f.admin }) },
  // An LP may read a project's NAV: this one is open to every signed-in caller.
  { field: 'as_of', send: (f: Fixture, at: string) => api.get(`/api/projects/${f.projectId}/nav/latest?as_of=${encodeURIComponent(at)}`, { as: f.lp }) },
  {
    field: 'distribution_date',
    send: (f: Fixture, at: string) =>
      api.post('/api/distributions', { project_id: f.projectId, event_type: 'revenue', title: 'Q1', total_amount: '1', distribution_date: at }, { as: f.admin }),
  },
  { field: 'effective_at', send: (f: Fixture, at: string) => moveTokens(api, f.admin, f.projectId, { kind: 'issue', holder_id: f.lp.id, amount: '1', effective_at: at }) },
  { field: 'effective_at', send: (f: Fixture, at: string) => api.post(`/api/projects/${f.projectId}/nav`, { nav_per_token: '1', source: 'manual', effective_at: at }, { as: f.admin }) },
];

const refusedInstants = [
  // Issue 11: year 0000 reached Postgres, which has no year 0, and answered 500.
  { instant: '0000-01-01T00:00:00Z', why: 'year 0000' },
  // Stored, but the Data API client reads years 0001–0099 back as 1901–1999 and 2000–2049.
  { instant: '0026-03-31T00:00:00Z', why: 'year 0026' },
  { instant: '0099-12-31T23:59:59.999Z', why: 'the last instant before year 0100' },
  { instant: '0100-01-01T00:30:00+01:00', why: 'year 0100 as written, 0099 in UTC' },
  { instant: '9999-12-31T23:30:00-01:00', why: 'year 9999 as written, 10000 in UTC' },
  { instant: '10000-01-01T00:00:00Z', why: 'a five-digit year' },
  { instant: '+010000-01-01T00:00:00Z', why: 'an expanded year' },
  { instant: '2026-01-01T00:00:00', why: 'no time zone' },
  { instant: '2026-01-01', why: 'a date' },
  { instant: '2026-02-29T00:00:00Z', why: 'a day that does not exist' },
  { instant: '2026-01-01T00:00:00Z\u0000', why: 'a NUL byte' },
  { instant: `2026-01-01T00:00:00.${'0'.repeat(10_000)}Z`, why: 'ten thousand fractional digits' },
];

describe('instants in queries and bodies', () => {
  it.each(instantFields.flatMap(({ field, send }, index) => refusedInstants.map((refused) => ({ field, send, index, ...refused }))))(
    'field $index ($field): $why → 400 naming $field, nothing written',
    async ({ field, send, instant }) => {
      // Prepare
      const fixture = await seed();
      const before = await rowCounts();

      // Act
      const response = await send(fixture, instant);

      // Assess
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('reads balances and NAV as of both ends of the range', async () => {
    // Prepare
    const { admin, lp, projectId } = await seed();
    expect((await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: lp.id, amount: '5', effective_at: '2026-01-01T00:00:00Z' })).status).toBe(201);
    await recordNav(api, admin, projectId, '1.5', '2026-01-01T00:00:00Z');

    // Act
    const earliest = await api.get(`/api/projects/${projectId}/holders?as_of=0100-01-01T00:00:00Z`, { as: admin });
    const latest = await api.get(`/api/projects/${projectId}/holders?as_of=9999-12-31T23:59:59.999999Z`, { as: admin });
    const navEarliest = await api.get(`/api/projects/${projectId}/nav/latest?as_of=0100-01-01T00:00:00Z`, { as: lp });
    const navLatest = await api.get(`/api/projects/${projectId}/nav/latest?as_of=9999-12-31T23:59:59.999999Z`, { as: lp });

    // Assess
    expect(earliest.body).toMatchObject({ as_of: '0100-01-01T00:00:00.000Z', items: [] });
    expect(latest.body).toMatchObject({ as_of: '9999-12-31T23:59:59.999Z', items: [{ holder_id: lp.id, balance: '5.0000000' }] });
    expect(navEarliest.status).toBe(404);
    expect(navLatest.body).toMatchObject({ as_of: '9999-12-31T23:59:59.999Z', nav_per_token: '1.50000000' });
  });

  it('keeps events dated at both ends of the range, and pages through them', async () => {
    // Prepare
    const { admin, projectId } = await seed();
    const first = await createDistribution(api, admin, projectId, { distribution_date: '0100-01-01T00:00:00Z' });
    const last = await createDistribution(api, admin, projectId, { distribution_date: '9999-12-31T23:59:59.999Z' });

    // Act
    const read = await api.get(`/api/distributions/${first}`, { as: admin });
    const page1 = await api.get(`/api/distributions/project/${projectId}?limit=1`, { as: admin });
    const page2 = await api.get(`/api/distributions/project/${projectId}?limit=1&cursor=${page1.body.next_cursor}`, { as: admin });

    // Assess
    expect(read.body.distribution_date).toBe('0100-01-01T00:00:00.000Z');
    expect(page1.body.items.map((e: { id: string }) => e.id)).toEqual([last]);
    expect(page1.body.items[0].distribution_date).toBe('9999-12-31T23:59:59.999Z');
    expect(page2.body.items.map((e: { id: string }) => e.id)).toEqual([first]);
  });

  it.each([
    { name: 'ledger', send: (f: Fixture, at: string) => moveTokens(api, f.admin, f.projectId, { kind: 'issue', holder_id: f.lp.id, amount: '1', effective_at: at }) },
    { name: 'NAV', send: (f: Fixture, at: string) => api.post(`/api/projects/${f.projectId}/nav`, { nav_per_token: '1', source: 'manual', effective_at: at }, { as: f.admin }) },
  ])('$name: effective_at in the future is a rule (422) up to the end of the range, a 400 beyond it', async ({ send }) => {
    // Prepare
    const fixture = await seed();
    const before = await rowCounts();

    // Act
    const future = await send(fixture, '9999-12-31T23:59:59.999Z');
    const beyond = await send(fixture, '9999-12-31T23:59:59-00:01');

    // Assess
    expect(future.status, JSON.stringify(future.body)).toBe(422);
    expect(future.body.type).toBe('/problems/rule-violation');
    expect(beyond.status, JSON.stringify(beyond.body)).toBe(400);
    expect(beyond.body.errors.map((e: { field: string }) => e.field)).toContain('effective_at');
    expect(await rowCounts()).toEqual(before);
  });

  it('takes an instant at any offset as the same instant in UTC', async () => {
    // Prepare
    const { admin, lp, projectId } = await seed();

    // Act
    const east = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: lp.id, amount: '1', effective_at: '2026-01-31T12:00:00+01:00' });
    const unknownLocal = await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1', source: 'manual', effective_at: '2026-01-31T12:00:00-00:00' }, { as: admin });
    const before = await api.get(`/api/projects/${projectId}/holders?as_of=2026-01-31T10:59:59.999-00:00`, { as: admin });
    const at = await api.get(`/api/projects/${projectId}/holders?as_of=2026-01-31T06:00:00-05:00`, { as: admin });

    // Assess
    expect(east.status, JSON.stringify(east.body)).toBe(201);
    expect(east.body.effective_at).toBe('2026-01-31T11:00:00.000Z');
    expect(unknownLocal.body.effective_at).toBe('2026-01-31T12:00:00.000Z');
    expect(before.body).toMatchObject({ as_of: '2026-01-31T10:59:59.999Z', items: [] });
    expect(at.body).toMatchObject({ as_of: '2026-01-31T11:00:00.000Z', items: [{ holder_id: lp.id }] });
  });
});
