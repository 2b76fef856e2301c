import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { getDb } from '../../shared/db/client';
import { newUser, useApi } from '../support/api';

const api = useApi();
const latest = Object.keys(migrations).at(-1);

describe('GET /api/setup/verify-database', () => {
  it('reports every table, column, index and constraint ok, at the latest migration', async () => {
    const response = await api.get('/api/setup/verify-database', { as: newUser('admin') });

    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    expect(response.body.migration).toEqual({ current: latest, latest, pending: [] });
    for (const kind of ['tables', 'columns', 'indexes', 'constraints']) {
      expect(response.body.summary[kind].missing).toBe(0);
      expect(response.body.summary[kind].ok).toBeGreaterThan(0);
    }
    expect(response.body.checks.tables.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['distribution_events', 'distribution_allocations', 'distribution_activity_log', 'redemption_requests', 'audit_admin_actions']),
    );
  });

  it('names what is missing or different', async () => {
    // Prepare: damage this test's own database copy
    await sql`DROP INDEX distribution_events_status_idx`.execute(getDb());
    await sql`ALTER TABLE platform_wallets DROP CONSTRAINT platform_wallets_min_reserve_check`.execute(getDb());
    await sql`ALTER TABLE projects ALTER COLUMN name TYPE text`.execute(getDb());

    try {
      // Act
      const response = await api.get('/api/setup/verify-database', { as: newUser('admin') });

      // Assess
      const { checks, ok } = response.body;
      expect(ok).toBe(false);
      expect(checks.indexes).toContainEqual(expect.objectContaining({ name: 'distribution_events_status_idx', status: 'missing' }));
      expect(checks.constraints).toContainEqual(
        expect.objectContaining({ name: 'platform_wallets.platform_wallets_min_reserve_check', status: 'missing' }),
      );
      expect(checks.columns).toContainEqual({
        name: 'projects.name',
        status: 'different',
        expected: 'character varying(255) not null',
        actual: 'text not null',
      });
    } finally {
      await sql`CREATE INDEX distribution_events_status_idx ON distribution_events (status)`.execute(getDb());
      await sql`ALTER TABLE platform_wallets ADD CONSTRAINT platform_wallets_min_reserve_check CHECK (min_reserve_threshold >= 0)`.execute(getDb());
      await sql`ALTER TABLE projects ALTER COLUMN name TYPE varchar(255)`.execute(getDb());
    }
  });
});
