import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, useApi } from '../support/api';
import { allocationCheck, seedBulkHolders } from '../support/bulk-holders';
import { createDistribution, createProject } from '../support/fixtures';
import { useQueues } from '../support/queues';

/**
 * A distribution at a scale where the Data API's limits bite, through the emulator (which
 * refuses what the service refuses), with the real worker and the default settings: no chunk
 * size or search limit is narrowed for the test.
 */
const api = useApi();
const queues = useQueues();

const HOLDERS = 50_000;

describe('a distribution of 50,000 holders through the RDS Data API', () => {
  it('is calculated exactly by the worker at its default settings', { timeout: 180_000 }, async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedBulkHolders(projectId, admin.id, HOLDERS);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '1234567.8901234' });

    // Act
    const accepted = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();

    // Assess
    expect(accepted.status).toBe(202);
    const event = await api.get(`/api/distributions/${eventId}`, { as: admin });
    expect(event.body).toMatchObject({ status: 'calculated', snapshot_holder_count: HOLDERS, failure_reason: null });
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ holders: HOLDERS, rows: HOLDERS, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0 });
    expect(check.allocatedEqualsTotal).toBe(true);
    expect(check.percentIsHundred).toBe(true);
    expect(event.body.snapshot_hash).toBe(check.snapshot_hash);
    expect(queues.depth('allocation-dlq')).toBe(0);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM distribution_activity_log
      WHERE distribution_event_id = ${eventId}::uuid AND activity_type = 'allocations_calculated'`.execute(getDb());
    expect(rows[0]?.n).toBe(1);
  });
});
