import { type Kysely, sql } from 'kysely';

// One SQL type per quantity, wherever it is kept: LP tokens numeric(30, 7) (allocations' tokens
// held and snapshots' totals were numeric(20, 7), so a holder of 10^13 tokens failed the
// calculation; redemptions' tokens were numeric(30, 8), a decimal the ledger never has and an
// integer digit fewer than it holds), NAV per token numeric(30, 8) (a distribution's snapshot
// kept numeric(20, 7): 7 of its 8 decimals). Every project counts the LP tokens it has issued,
// the bound the API keeps every balance and supply within.
// Frozen in time: this file never imports application code. One statement per query.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Nothing changes value on the way: refuse what the new types would round or cannot hold.
    sql`DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM redemption_requests WHERE tokens_amount <> round(tokens_amount, 7)) THEN
        RAISE EXCEPTION 'redemption_requests.tokens_amount holds amounts with an eighth decimal, which numeric(30, 7) would round';
      END IF;
      IF EXISTS (SELECT 1 FROM lp_token_movements WHERE kind = 'issue' GROUP BY project_id HAVING sum(amount) >= 1e23) THEN
        RAISE EXCEPTION 'a project has issued 10^23 LP tokens or more, which numeric(30, 7) cannot count';
      END IF;
    END $$`,
    // A wider precision at the same scale rewrites nothing (Postgres only changes the type).
    sql`ALTER TABLE distribution_allocations ALTER COLUMN lp_tokens_held TYPE numeric(30, 7)`,
    sql`ALTER TABLE distribution_events
      ALTER COLUMN snapshot_total_lp_tokens TYPE numeric(30, 7),
      ALTER COLUMN snapshot_nav TYPE numeric(30, 8)`,
    sql`ALTER TABLE redemption_requests ALTER COLUMN tokens_amount TYPE numeric(30, 7)`,
    // Every token ever issued (burns do not reduce it): it bounds every balance at every instant.
    sql`ALTER TABLE projects ADD COLUMN lp_tokens_issued numeric(30, 7) NOT NULL DEFAULT 0
      CONSTRAINT projects_lp_tokens_issued_check CHECK (lp_tokens_issued >= 0)`,
    sql`UPDATE projects SET lp_tokens_issued = issued.total
      FROM (SELECT project_id, sum(amount) AS total FROM lp_token_movements WHERE kind = 'issue' GROUP BY project_id) issued
      WHERE issued.project_id = projects.id`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // The old types hold less: refuse, rather than lose, a value they cannot hold. A NAV's eighth
    // decimal is rounded, as the old column always did.
    sql`DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM distribution_allocations WHERE lp_tokens_held >= 1e13) THEN
        RAISE EXCEPTION 'distribution_allocations.lp_tokens_held holds 10^13 LP tokens or more, which numeric(20, 7) cannot hold';
      END IF;
      IF EXISTS (SELECT 1 FROM distribution_events WHERE snapshot_total_lp_tokens >= 1e13) THEN
        RAISE EXCEPTION 'distribution_events.snapshot_total_lp_tokens holds 10^13 LP tokens or more, which numeric(20, 7) cannot hold';
      END IF;
      IF EXISTS (SELECT 1 FROM distribution_events WHERE round(snapshot_nav, 7) >= 1e13) THEN
        RAISE EXCEPTION 'distribution_events.snapshot_nav holds a NAV of 10^13 or more, which numeric(20, 7) cannot hold';
      END IF;
      IF EXISTS (SELECT 1 FROM redemption_requests WHERE tokens_amount >= 1e22) THEN
        RAISE EXCEPTION 'redemption_requests.tokens_amount holds 10^22 LP tokens or more, which numeric(30, 8) cannot hold';
      END IF;
    END $$`,
    sql`ALTER TABLE projects DROP COLUMN lp_tokens_issued`,
    sql`ALTER TABLE redemption_requests ALTER COLUMN tokens_amount TYPE numeric(30, 8)`,
    sql`ALTER TABLE distribution_events
      ALTER COLUMN snapshot_nav TYPE numeric(20, 7),
      ALTER COLUMN snapshot_total_lp_tokens TYPE numeric(20, 7)`,
    sql`ALTER TABLE distribution_allocations ALTER COLUMN lp_tokens_held TYPE numeric(20, 7)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
