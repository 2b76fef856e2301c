import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../shared/db/client';
import { allocationCheck, seedBulkHolders } from '../support/bulk-holders';
import { until, useLocalStack } from '../support/local-stack';

const ADMIN = '11111111-1111-4111-8111-111111111111';
const HOLDERS = 20_000;
// Small statements make the calculation take many units, so the kill lands mid-pass; a short
// visibility timeout brings the message the killed worker held back soon after the restart.
const stack = useLocalStack({ ALLOCATION_CHUNK_SIZE: '200', LOCAL_VISIBILITY_TIMEOUT_SECONDS: '5' });

afterAll(() => closeDb());

async function calculationOf(eventId: string) {
  const { rows } = await sql<{ status: string; phase: string | null; snapshot_hash: string | null }>`
    SELECT status, calculation_state->>'phase' AS phase, snapshot_hash FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  return rows[0];
}

describe('npm start, killed in the middle of a calculation', () => {
  it('finishes it after the restart, with no manual step, to exactly the rows of the rule', { timeout: 180_000 }, async () => {
    // Prepare: 20,000 holders, and a calculation under way
    await stack.start();
    process.env.DATABASE_URL = stack.databaseUrl();
    const admin = stack.client(await stack.token('admin', ADMIN, 'admin@example.com'));
    const project = (await admin.post('/api/projects', { name: 'Lagos Solar' })).body.id as string;
    await seedBulkHolders(project, ADMIN, HOLDERS);
    const created = await admin.post('/api/distributions', {
      project_id: project,
      event_type: 'revenue',
      title: 'Q1 revenue',
      total_amount: '987654.3210987',
      distribution_date: '2026-03-31T00:00:00Z',
    });
    const eventId = created.body.id as string;
    expect((await admin.post(`/api/distributions/${eventId}/calculate`)).status).toBe(202);
    const interrupted = await until(async () => {
      const calculation = await calculationOf(eventId);
      return calculation?.phase === 'select' || calculation?.phase === 'write' ? calculation : undefined;
    }, 60_000);

    // Act: kill -9 mid-calculation, then start again
    await closeDb();
    await stack.kill();
    await stack.start();

    // Assess: it ends calculated, every row as the largest-remainder rule computed straight from the ledger says
    const calculated = await until(async () => {
      const calculation = await calculationOf(eventId);
      return calculation?.status === 'calculating' ? undefined : calculation;
    }, 120_000);
    const check = await allocationCheck(eventId);
    expect(interrupted.status).toBe('calculating');
    expect(calculated).toMatchObject({ status: 'calculated', snapshot_hash: check.snapshot_hash });
    expect(check).toMatchObject({ holders: HOLDERS, rows: HOLDERS, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0 });
    expect(check.allocatedEqualsTotal && check.percentIsHundred).toBe(true);
  });
});
