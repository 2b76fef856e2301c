import { sql } from 'kysely';
import type { Db } from '../shared/db/client';

export const BENCH_RECORD_DATE = new Date('2026-03-31T00:00:00Z');

/**
 * N LP holders of one project, seeded in bulk: users, one issue movement each (balances from
 * 0.0000001 to ~1,000,000 tokens with repeats, so remainders tie), and their current balances.
 */
export async function seedProjectHolders(db: Db, holders: number): Promise<{ projectId: string; adminId: string }> {
  const adminId = (
    await sql<{ id: string }>`INSERT INTO users (id, email, role) VALUES (gen_random_uuid(), 'bench-admin-' || gen_random_uuid() || '@bench.invalid', 'admin') RETURNING id`.execute(db)
  ).rows[0]!.id;
  const projectId = (await sql<{ id: string }>`INSERT INTO projects (name, created_by) VALUES ('Bench', ${adminId}::uuid) RETURNING id`.execute(db)).rows[0]!.id;
  await sql`CREATE TEMP TABLE bench_holders AS
    SELECT gen_random_uuid() AS id, i,
      CASE WHEN i % 10 = 0 THEN 0.0000001 ELSE round(((i::bigint * 7919) % 1000003) / 1.0 + (i % 7) / 10000000.0, 7) END AS balance
    FROM generate_series(1, ${holders}) AS i`.execute(db);
  await sql`INSERT INTO users (id, email, role) SELECT id, 'holder-' || i || '-' || id || '@bench.invalid', 'lp' FROM bench_holders`.execute(db);
  await sql`INSERT INTO lp_token_movements (project_id, kind, to_holder_id, amount, effective_at, recorded_by)
    SELECT ${projectId}::uuid, 'issue', id, balance, '2026-01-01T00:00:00Z', ${adminId}::uuid FROM bench_holders WHERE balance > 0`.execute(db);
  await sql`INSERT INTO lp_token_balances (project_id, lp_token_holder_id, lp_tokens_allocated)
    SELECT ${projectId}::uuid, id, balance FROM bench_holders WHERE balance > 0`.execute(db);
  await sql`UPDATE projects SET lp_tokens_issued = (SELECT sum(balance) FROM bench_holders WHERE balance > 0)
    WHERE id = ${projectId}::uuid`.execute(db);
  await sql`DROP TABLE bench_holders`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { projectId, adminId };
}
