import { randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';

/**
 * Tens of thousands of LP holders of one project in four statements (users, one issue movement
 * each before the record date, their current balances, the tokens the project has issued), as
 * bench/seed.ts does: no temporary
 * table, so it also works through the Data API, where each call may get its own connection.
 * Holder ids are md5 of a per-call prefix, so both statements name the same holders.
 *
 * Balances mix what makes the cut search work hard: every tenth holder holds the smallest unit
 * (a large group tied on one remainder), the rest hold distinct amounts up to ~1,000,000.
 */
export async function seedBulkHolders(
  projectId: string,
  recordedBy: string,
  holders: number,
  /** The i-th holder's id (from a random `prefix`) and balance, as SQL; by default ids at random and balances spread widely. */
  shape: { id?: (prefix: string) => RawBuilder<unknown>; balance?: RawBuilder<unknown> } = {},
): Promise<void> {
  const db = getDb();
  const prefix = randomBytes(6).toString('hex');
  const id = shape.id?.(prefix) ?? sql`md5(${prefix} || i)::uuid`;
  const balance =
    shape.balance ??
    sql`CASE WHEN i % 10 = 0 THEN 0.0000001
    ELSE round(((i::bigint * 7919) % 1000003) / 1.0 + (i % 7) / 10000000.0, 7) END`;
  await sql`INSERT INTO users (id, email, role)
    SELECT ${id}, 'holder-' || ${prefix} || '-' || i || '@example.com', 'lp'
    FROM generate_series(1, ${holders}) AS i`.execute(db);
  await sql`INSERT INTO lp_token_movements (project_id, kind, to_holder_id, amount, effective_at, recorded_by)
    SELECT ${projectId}::uuid, 'issue', ${id}, ${balance}, '2026-01-01T00:00:00Z', ${recordedBy}::uuid
    FROM generate_series(1, ${holders}) AS i`.execute(db);
  await sql`INSERT INTO lp_token_balances (project_id, lp_token_holder_id, lp_tokens_allocated)
    SELECT ${projectId}::uuid, ${id}, ${balance} FROM generate_series(1, ${holders}) AS i`.execute(db);
  await sql`UPDATE projects SET lp_tokens_issued = (
      SELECT coalesce(sum(amount), 0) FROM lp_token_movements WHERE project_id = ${projectId}::uuid AND kind = 'issue')
    WHERE id = ${projectId}::uuid`.execute(db);
  await sql`ANALYZE lp_token_movements`.execute(db);
}

/**
 * How an event's allocation rows differ from the largest-remainder rule computed here in one SQL
 * statement straight from the ledger (balances as of the record date, every holder ranked by
 * remainder, then holder id), without the calculation's chunks, histograms or cuts.
 */
export async function allocationCheck(eventId: string) {
  const { rows } = await sql<{
    holders: number;
    rows: number;
    wrong_amounts: number;
    wrong_percentages: number;
    wrong_tokens: number;
    allocated: string;
    percent: string;
    total: string;
    snapshot_hash: string;
  }>`
    WITH event AS (
      SELECT project_id, distribution_date, total_amount * 10000000 AS total FROM distribution_events WHERE id = ${eventId}::uuid
    ),
    movements AS (
      SELECT to_holder_id AS holder_id, amount FROM lp_token_movements m, event e
        WHERE m.project_id = e.project_id AND m.effective_at <= e.distribution_date AND to_holder_id IS NOT NULL
      UNION ALL
      SELECT from_holder_id, -amount FROM lp_token_movements m, event e
        WHERE m.project_id = e.project_id AND m.effective_at <= e.distribution_date AND from_holder_id IS NOT NULL
    ),
    balances AS (SELECT holder_id, sum(amount) AS balance FROM movements GROUP BY holder_id HAVING sum(amount) > 0),
    units AS (SELECT holder_id, balance, balance * 10000000 AS units FROM balances),
    sums AS (SELECT sum(units) AS tokens FROM units),
    shares AS (
      SELECT u.holder_id, u.balance,
        div(e.total * u.units, s.tokens) AS amount_floor, mod(e.total * u.units, s.tokens) AS amount_remainder,
        div(1000000000 * u.units, s.tokens) AS percent_floor, mod(1000000000 * u.units, s.tokens) AS percent_remainder
      FROM units u, sums s, event e
    ),
    ranked AS (
      SELECT *,
        row_number() OVER (ORDER BY amount_remainder DESC, holder_id) AS amount_rank,
        row_number() OVER (ORDER BY percent_remainder DESC, holder_id) AS percent_rank
      FROM shares
    ),
    leftover AS (
      SELECT (SELECT total FROM event) - sum(amount_floor) AS amount, 1000000000 - sum(percent_floor) AS percent FROM shares
    ),
    expected AS (
      SELECT r.holder_id, r.balance,
        (r.amount_floor + CASE WHEN r.amount_rank <= l.amount THEN 1 ELSE 0 END) / 10000000 AS amount,
        (r.percent_floor + CASE WHEN r.percent_rank <= l.percent THEN 1 ELSE 0 END) / 10000000 AS percent
      FROM ranked r, leftover l
    ),
    actual AS (
      SELECT lp_token_holder_id AS holder_id, lp_tokens_held, allocated_amount, ownership_percentage
      FROM distribution_allocations WHERE distribution_event_id = ${eventId}::uuid
    )
    SELECT
      (SELECT count(*)::int FROM expected) AS holders,
      (SELECT count(*)::int FROM actual) AS rows,
      (SELECT count(*)::int FROM expected x FULL JOIN actual a USING (holder_id)
        WHERE a.allocated_amount IS DISTINCT FROM x.amount) AS wrong_amounts,
      (SELECT count(*)::int FROM expected x FULL JOIN actual a USING (holder_id)
        WHERE a.ownership_percentage IS DISTINCT FROM x.percent) AS wrong_percentages,
      (SELECT count(*)::int FROM expected x FULL JOIN actual a USING (holder_id)
        WHERE a.lp_tokens_held IS DISTINCT FROM x.balance) AS wrong_tokens,
      (SELECT coalesce(sum(allocated_amount), 0)::text FROM actual) AS allocated,
      (SELECT coalesce(sum(ownership_percentage), 0)::text FROM actual) AS percent,
      (SELECT (total / 10000000)::text FROM event) AS total,
      (SELECT 'sha256:' || encode(sha256(convert_to(
        string_agg(holder_id::text || ':' || balance::numeric(30, 7)::text || E'\n', '' ORDER BY holder_id), 'UTF8')), 'hex')
        FROM balances) AS snapshot_hash`.execute(getDb());
  const check = rows[0];
  if (check === undefined) throw new Error('the allocation check returned no row');
  return {
    ...check,
    allocatedEqualsTotal: new Decimal(check.allocated).equals(new Decimal(check.total)),
    percentIsHundred: new Decimal(check.percent).equals(100),
  };
}
