import { describe, expect, it } from 'vitest';
import { newUser, useApi } from '../support/api';
import { createProject, registerUser, rowCounts } from '../support/fixtures';
import { allPages, auditRows, recordNav } from '../support/treasury-api';

const api = useApi();

const JAN = '2026-01-01T00:00:00.000Z';
const FEB = '2026-02-01T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';

async function project() {
  const admin = newUser('admin');
  const lp = newUser('lp');
  await registerUser(api, admin, lp);
  return { admin, lp, projectId: await createProject(api, admin) };
}

const navAt = (projectId: string, as: ReturnType<typeof newUser>, asOf?: string) =>
  api.get(`/api/projects/${projectId}/nav/latest${asOf === undefined ? '' : `?as_of=${encodeURIComponent(asOf)}`}`, { as });

describe('NAV history', () => {
  it('appends an entry, makes it the current NAV and audits it', async () => {
    // Prepare
    const { admin, projectId } = await project();

    // Act
    const response = await api.post(
      `/api/projects/${projectId}/nav`,
      { nav_per_token: '1.23456789', source: 'audited', effective_at: JAN, notes: 'FY2025 audit' },
      { as: admin },
    );

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      project_id: projectId,
      nav_per_token: '1.23456789',
      source: 'audited',
      effective_at: JAN,
      notes: 'FY2025 audit',
      updated_by: admin.id,
      current_nav_per_token: '1.23456789',
    });
    expect((await api.get(`/api/projects/${projectId}`, { as: admin })).body.current_nav_per_token).toBe('1.23456789');
    expect(await auditRows('nav.record')).toEqual([
      expect.objectContaining({ admin_id: admin.id, target: { project_id: projectId, nav_entry_id: response.body.id } }),
    ]);
  });

  it('keeps the latest effective entry current when a backdated one is added', async () => {
    // Prepare: NAV 1.50 since March
    const { admin, lp, projectId } = await project();
    await recordNav(api, admin, projectId, '1.5', MAR);

    // Act: a correction for January, recorded later
    const backdated = await recordNav(api, admin, projectId, '1.1', JAN);

    // Assess
    expect(backdated.current_nav_per_token).toBe('1.50000000');
    expect((await api.get(`/api/projects/${projectId}`, { as: lp })).body.current_nav_per_token).toBe('1.50000000');
    expect((await navAt(projectId, lp)).body.nav_per_token).toBe('1.50000000');
    expect((await navAt(projectId, lp, FEB)).body).toMatchObject({ as_of: FEB, nav_per_token: '1.10000000', effective_at: JAN });
    expect((await navAt(projectId, lp, MAR)).body.nav_per_token).toBe('1.50000000');
    const history = await api.get(`/api/projects/${projectId}/nav`, { as: lp });
    expect(history.body.items.map((e: { nav_per_token: string }) => e.nav_per_token)).toEqual(['1.50000000', '1.10000000']);
  });

  it('lets the later recorded of two entries effective at the same instant win', async () => {
    const { admin, lp, projectId } = await project();
    await recordNav(api, admin, projectId, '2', FEB);

    const correction = await recordNav(api, admin, projectId, '2.5', FEB);

    expect(correction.current_nav_per_token).toBe('2.50000000');
    expect((await navAt(projectId, lp, FEB)).body.id).toBe(correction.id);
  });

  it('answers 404 when no NAV was in force at the instant', async () => {
    const { admin, lp, projectId } = await project();
    expect((await navAt(projectId, lp)).status).toBe(404);

    await recordNav(api, admin, projectId, '1', FEB);

    const before = await navAt(projectId, lp, JAN);
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect((await navAt(projectId, lp, FEB)).status).toBe(200);
    expect((await api.get(`/api/projects/${crypto.randomUUID()}/nav`, { as: lp })).status).toBe(404);
  });

  it('refuses a NAV dated in the future, writing nothing', async () => {
    const { admin, projectId } = await project();
    const before = await rowCounts();

    const response = await api.post(
      `/api/projects/${projectId}/nav`,
      { nav_per_token: '1', source: 'formula', effective_at: new Date(Date.now() + 3_600_000).toISOString() },
      { as: admin },
    );

    expect(response.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });

  it('pages the history latest effective first, every entry exactly once', async () => {
    // Prepare: entries recorded out of order, two of them at once with the same instant
    const { admin, lp, projectId } = await project();
    const instants = [FEB, JAN, MAR, '2026-01-15T00:00:00.000Z'];
    for (const [i, at] of instants.entries()) await recordNav(api, admin, projectId, `1.${i}`, at);
    await Promise.all(['9.1', '9.2', '9.3'].map((nav) => recordNav(api, admin, projectId, nav, JAN)));

    // Act
    const items = await allPages(api, lp, `/api/projects/${projectId}/nav`, 2);

    // Assess
    expect(items).toHaveLength(7);
    expect(new Set(items.map((e) => e.id)).size).toBe(7);
    expect(items.map((e) => e.effective_at)).toEqual([MAR, FEB, '2026-01-15T00:00:00.000Z', JAN, JAN, JAN, JAN]);
  });
});
