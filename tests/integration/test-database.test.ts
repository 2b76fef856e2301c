import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { seedBulkHolders } from '../support/bulk-holders';
import { rowCounts } from '../support/fixtures';
import { fundedWallet } from '../support/treasury-fixtures';

async function newProject(): Promise<{ admin: string; projectId: string }> {
  const admin = randomUUID();
  await sql`INSERT INTO users (id, email, role) VALUES (${admin}::uuid, ${`${admin}@example.com`}, 'admin')`.execute(getDb());
  const { rows } = await sql<{ id: string }>`INSERT INTO projects (name, created_by) VALUES ('Left behind', ${admin}::uuid) RETURNING id::text`.execute(getDb());
  return { admin, projectId: rows[0]?.id ?? '' };
}

async function expectNoRows() {
  const counts = await rowCounts();
  expect(Object.keys(counts).length).toBeGreaterThan(10);
  expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([]);
}

// The tests of this file run in order: one leaves rows behind, the next sees none.
describe('each test starts on empty tables (tests/setup/test-database.ts)', () => {
  it('leaves a few rows behind, some that a trigger keeps from a plain DELETE', async () => {
    // Prepare
    const { projectId } = await newProject();
    await fundedWallet({ address: 'pool-left-behind', role: 'treasury_pool', balance: '10', projectId });

    // Assess: the ledger refuses a DELETE (append-only)
    await expect(sql`DELETE FROM treasury_pool_transactions`.execute(getDb())).rejects.toThrow();
    expect((await rowCounts()).platform_wallets).toBe(1);
  });

  it('finds none of the few', expectNoRows);

  it('leaves thousands of rows behind', async () => {
    const { admin, projectId } = await newProject();
    await seedBulkHolders(projectId, admin, 1_500);
    expect((await rowCounts()).lp_token_movements).toBe(1_500);
  });

  it('finds none of the thousands', expectNoRows);
});
