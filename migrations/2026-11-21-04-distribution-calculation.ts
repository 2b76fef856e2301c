import { type Kysely, sql } from 'kysely';

// Asynchronous, resumable allocation calculation; event lifecycle; idempotent POSTs.
// Frozen in time: this file never imports application code.

const ACTIVITY_TYPES_BEFORE = `'event_created', 'allocations_calculated', 'withdrawal_requested', 'withdrawal_approved',
  'withdrawal_rejected', 'payment_recorded', 'event_completed', 'event_cancelled'`;
const ACTIVITY_TYPES_AFTER = `${ACTIVITY_TYPES_BEFORE}, 'calculation_requested', 'calculation_failed', 'event_activated'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE distribution_events DROP CONSTRAINT distribution_events_status_check`,
    sql`ALTER TABLE distribution_events ADD CONSTRAINT distribution_events_status_check
      CHECK (status IN ('draft', 'calculating', 'calculated', 'failed', 'active', 'completed', 'cancelled'))`,
    sql`ALTER TABLE distribution_events
      ADD COLUMN snapshot_holder_count integer CONSTRAINT distribution_events_holder_count_check CHECK (snapshot_holder_count >= 0),
      ADD COLUMN snapshot_hash varchar(80),
      ADD COLUMN holders_done integer NOT NULL DEFAULT 0,
      ADD COLUMN calculation_state jsonb,
      ADD COLUMN calculation_requested_by uuid REFERENCES users (id),
      ADD COLUMN calculation_requested_at timestamptz,
      ADD COLUMN calculated_at timestamptz,
      ADD COLUMN failure_reason text,
      ADD COLUMN completion_reason text`,
    sql`ALTER TABLE distribution_activity_log DROP CONSTRAINT distribution_activity_log_type_check`,
    sql`ALTER TABLE distribution_activity_log ADD CONSTRAINT distribution_activity_log_type_check
      CHECK (activity_type IN (${sql.raw(ACTIVITY_TYPES_AFTER)}))`,
    // Keyset paging of a project's events and of activity feeds, newest first.
    sql`CREATE INDEX distribution_events_project_date_idx ON distribution_events (project_id, distribution_date DESC, id DESC)`,
    sql`CREATE INDEX distribution_activity_event_created_idx ON distribution_activity_log (distribution_event_id, created_at DESC, id DESC)`,
    sql`CREATE INDEX distribution_activity_project_created_idx ON distribution_activity_log (project_id, created_at DESC, id DESC)`,
    sql`CREATE INDEX distribution_allocations_holder_created_idx ON distribution_allocations (lp_token_holder_id, created_at DESC, id DESC)`,
    // Record-date snapshots read each holder's credits in holder order.
    sql`CREATE INDEX lp_token_movements_credits_idx ON lp_token_movements (project_id, to_holder_id, effective_at) INCLUDE (amount)`,
    sql`CREATE INDEX lp_token_movements_debits_idx ON lp_token_movements (project_id, from_holder_id, effective_at) INCLUDE (amount)`,
    sql`DROP INDEX lp_token_movements_to_idx`,
    sql`DROP INDEX lp_token_movements_from_idx`,

    // Powertools Idempotency records for POST routes that carry an Idempotency-Key.
    sql`CREATE TABLE idempotency_records (
      id varchar(255) PRIMARY KEY,
      status varchar(16) NOT NULL CONSTRAINT idempotency_records_status_check
        CHECK (status IN ('INPROGRESS', 'COMPLETED', 'EXPIRED')),
      expiry_timestamp bigint NOT NULL,
      in_progress_expiry_timestamp bigint,
      payload_hash varchar(255),
      response_data jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX idempotency_records_expiry_idx ON idempotency_records (expiry_timestamp)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`DROP TABLE idempotency_records`,
    sql`CREATE INDEX lp_token_movements_to_idx ON lp_token_movements (project_id, to_holder_id, effective_at)`,
    sql`CREATE INDEX lp_token_movements_from_idx ON lp_token_movements (project_id, from_holder_id, effective_at)`,
    sql`DROP INDEX lp_token_movements_credits_idx`,
    sql`DROP INDEX lp_token_movements_debits_idx`,
    sql`DROP INDEX distribution_allocations_holder_created_idx`,
    sql`DROP INDEX distribution_activity_project_created_idx`,
    sql`DROP INDEX distribution_activity_event_created_idx`,
    sql`DROP INDEX distribution_events_project_date_idx`,
    // Rows only the new lifecycle can produce cannot survive the old constraints.
    sql`DELETE FROM distribution_activity_log
      WHERE activity_type IN ('calculation_requested', 'calculation_failed', 'event_activated')`,
    sql`ALTER TABLE distribution_activity_log DROP CONSTRAINT distribution_activity_log_type_check`,
    sql`ALTER TABLE distribution_activity_log ADD CONSTRAINT distribution_activity_log_type_check
      CHECK (activity_type IN (${sql.raw(ACTIVITY_TYPES_BEFORE)}))`,
    sql`UPDATE distribution_events SET status = 'draft' WHERE status IN ('calculating', 'failed')`,
    sql`ALTER TABLE distribution_events DROP CONSTRAINT distribution_events_status_check`,
    sql`ALTER TABLE distribution_events ADD CONSTRAINT distribution_events_status_check
      CHECK (status IN ('draft', 'calculated', 'active', 'completed', 'cancelled'))`,
    sql`ALTER TABLE distribution_events
      DROP COLUMN completion_reason, DROP COLUMN failure_reason, DROP COLUMN calculated_at,
      DROP COLUMN calculation_requested_at, DROP COLUMN calculation_requested_by, DROP COLUMN calculation_state,
      DROP COLUMN holders_done, DROP COLUMN snapshot_hash, DROP COLUMN snapshot_holder_count`,
  ];
  for (const statement of statements) await statement.execute(db);
}
