import { type Kysely, sql } from 'kysely';

// Guards the treasury API relies on, in the database as well as in code: treasury transactions
// are append-only, a cashflow is verified by someone other than who recorded it, a cashflow's
// status carries the facts it claims, and NAV entries have one order (effective, then recorded).
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // A mistake in the treasury is corrected by another transaction, never by editing history.
    sql`CREATE FUNCTION treasury_pool_transactions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'treasury_pool_transactions is append-only: % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END
    $$`,
    sql`CREATE TRIGGER treasury_pool_transactions_append_only
      BEFORE UPDATE OR DELETE ON treasury_pool_transactions
      FOR EACH ROW EXECUTE FUNCTION treasury_pool_transactions_append_only()`,

    sql`ALTER TABLE project_cashflows
      ADD CONSTRAINT project_cashflows_four_eyes_check CHECK (verified_by <> recorded_by),
      ADD CONSTRAINT project_cashflows_verified_check CHECK (
        status = 'recorded' OR (verified_by IS NOT NULL AND verified_at IS NOT NULL)),
      ADD CONSTRAINT project_cashflows_tokenized_check CHECK (status <> 'tokenized' OR chain_tx_hash IS NOT NULL)`,
    sql`CREATE INDEX project_cashflows_project_page_idx ON project_cashflows (project_id, created_at DESC, id DESC)`,
    sql`DROP INDEX project_cashflows_project_idx`,

    // The NAV in force at an instant: the latest effective entry, the latest recorded on a tie.
    sql`CREATE INDEX project_nav_history_in_force_idx
      ON project_nav_history (project_id, effective_at DESC, created_at DESC, id DESC)`,
    sql`DROP INDEX project_nav_history_project_effective_idx`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE INDEX project_nav_history_project_effective_idx ON project_nav_history (project_id, effective_at DESC)`,
    sql`DROP INDEX project_nav_history_in_force_idx`,
    sql`CREATE INDEX project_cashflows_project_idx ON project_cashflows (project_id, created_at DESC)`,
    sql`DROP INDEX project_cashflows_project_page_idx`,
    sql`ALTER TABLE project_cashflows
      DROP CONSTRAINT project_cashflows_tokenized_check,
      DROP CONSTRAINT project_cashflows_verified_check,
      DROP CONSTRAINT project_cashflows_four_eyes_check`,
    sql`DROP TRIGGER treasury_pool_transactions_append_only ON treasury_pool_transactions`,
    sql`DROP FUNCTION treasury_pool_transactions_append_only()`,
  ];
  for (const statement of statements) await statement.execute(db);
}
