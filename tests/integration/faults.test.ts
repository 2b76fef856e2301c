import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, useApi } from '../support/api';
import { createDistribution, moveTokens, registerUser, rowCounts, seedProjectWithLps } from '../support/fixtures';
import { useQueues } from '../support/queues';

/**
 * Faults the system must survive without a partial write. Covered elsewhere: a worker dying
 * between chunks (distributions-calculation.test.ts) and an approval that times out
 * (redemptions-expiry.test.ts).
 */
const api = useApi();
const queues = useQueues({ maxReceiveCount: 2 });

async function ledgerMismatches(): Promise<number> {
  // Every current balance equals its movements' credits minus debits.
  const { rows } = await sql<{ n: number }>`
    WITH ledger AS (
      SELECT project_id, holder_id, sum(amount) AS balance FROM (
        SELECT project_id, to_holder_id AS holder_id, amount FROM lp_token_movements WHERE to_holder_id IS NOT NULL
        UNION ALL
        SELECT project_id, from_holder_id, -amount FROM lp_token_movements WHERE from_holder_id IS NOT NULL) m
      GROUP BY project_id, holder_id)
    SELECT count(*)::int AS n FROM ledger l
    FULL JOIN lp_token_balances a ON a.project_id = l.project_id AND a.lp_token_holder_id = l.holder_id
    WHERE coalesce(l.balance, 0) <> coalesce(a.lp_tokens_allocated, 0)`.execute(getDb());
  return rows[0]?.n ?? -1;
}

describe('faults', () => {
  it('sends a calculation that always fails to the dead-letter queue and shows the event failed with the reason', async () => {
    // Prepare: the real worker throws on every delivery, because writing an allocation fails.
    const { admin, alice, projectId } = await seedProjectWithLps(api);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: alice.id, amount: '10', effective_at: '2026-01-01T00:00:00Z' });
    const eventId = await createDistribution(api, admin, projectId);
    await sql`CREATE FUNCTION fault_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault: allocations cannot be written'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_refuse BEFORE INSERT ON distribution_allocations FOR EACH ROW EXECUTE FUNCTION fault_refuse()`.execute(getDb());

    try {
      // Act
      const accepted = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
      const deliveries = await queues.drainCalculations();

      // Assess
      expect(accepted.status).toBe(202);
      expect(deliveries).toBe(2);
      expect(queues.depth('allocation')).toBe(0);
      expect(queues.depth('allocation-dlq')).toBe(1);
      const event = await api.get(`/api/distributions/${eventId}`, { as: admin });
      expect(event.body).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/failed 2 times and was stopped/) });
      expect((await rowCounts()).distribution_allocations).toBe(0);
    } finally {
      await sql`DROP TRIGGER fault_refuse ON distribution_allocations`.execute(getDb());
      await sql`DROP FUNCTION fault_refuse()`.execute(getDb());
    }
  });

  it('leaves no partial write when the database connection drops mid-transaction', async () => {
    // Prepare: the movement's last write (its audit row) waits, holding the open transaction.
    const admin = newUser('admin');
    const { projectId } = await seedProjectWithLps(api);
    const holder = newUser('lp');
    await registerUser(api, admin, holder);
    await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '10', effective_at: '2026-01-01T00:00:00Z' });
    await sql`CREATE FUNCTION fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_pause AFTER INSERT ON audit_admin_actions FOR EACH ROW EXECUTE FUNCTION fault_pause()`.execute(getDb());
    const before = await rowCounts();

    try {
      // Act: issue more tokens; once the transaction sleeps, kill its backend from another connection.
      const issuing = moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '5', effective_at: '2026-02-01T00:00:00Z' });
      let terminated = 0;
      for (let tries = 0; terminated === 0 && tries < 200; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const { rows } = await sql<{ n: number }>`
          SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()`.execute(getDb());
        terminated = rows[0]?.n ?? 0;
      }
      const response = await issuing;

      // Assess: the request failed as a server error, and nothing of it was written.
      expect(terminated).toBe(1);
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await rowCounts()).toEqual(before);
      expect(await ledgerMismatches()).toBe(0);
    } finally {
      await sql`DROP TRIGGER fault_pause ON audit_admin_actions`.execute(getDb());
      await sql`DROP FUNCTION fault_pause()`.execute(getDb());
    }

    // Assess: the pool recovered, and the same movement now goes through.
    const retried = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '5', effective_at: '2026-02-01T00:00:00Z' });
    expect(retried.status).toBe(201);
    const holders = await api.get(`/api/projects/${projectId}/holders`, { as: admin });
    expect(holders.body.items.find((item: { holder_id: string }) => item.holder_id === holder.id)).toMatchObject({ balance: '15.0000000' });
    expect(await ledgerMismatches()).toBe(0);
  });
});
