import { type Kysely, sql } from 'kysely';

// Phase 4.1: distribution events, allocations, withdrawal requests, activity log.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE distribution_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      event_type varchar(50) NOT NULL
        CONSTRAINT distribution_events_type_check CHECK (event_type IN ('revenue', 'exit', 'dividend', 'other')),
      title varchar(255) NOT NULL,
      description text,
      total_amount numeric(20, 7) NOT NULL CONSTRAINT distribution_events_total_amount_check CHECK (total_amount > 0),
      distribution_date timestamptz NOT NULL,
      status varchar(50) NOT NULL DEFAULT 'draft' CONSTRAINT distribution_events_status_check
        CHECK (status IN ('draft', 'calculated', 'active', 'completed', 'cancelled')),
      snapshot_date timestamptz,
      snapshot_total_lp_tokens numeric(20, 7),
      snapshot_nav numeric(20, 7),
      total_allocated numeric(20, 7) NOT NULL DEFAULT 0,
      total_withdrawn numeric(20, 7) NOT NULL DEFAULT 0,
      total_pending numeric(20, 7) NOT NULL DEFAULT 0,
      created_by uuid NOT NULL REFERENCES users (id),
      approved_by uuid REFERENCES users (id),
      approved_at timestamptz,
      completed_at timestamptz,
      cancelled_by uuid REFERENCES users (id),
      cancelled_at timestamptz,
      cancellation_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT distribution_events_totals_check CHECK (
        total_withdrawn >= 0 AND total_pending >= 0
        AND total_withdrawn + total_pending <= total_allocated
        AND total_allocated <= total_amount
      )
    )`,
    sql`CREATE INDEX distribution_events_project_idx ON distribution_events (project_id)`,
    sql`CREATE INDEX distribution_events_status_idx ON distribution_events (status)`,
    sql`CREATE INDEX distribution_events_date_idx ON distribution_events (distribution_date)`,

    sql`CREATE TABLE distribution_allocations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      distribution_event_id uuid NOT NULL REFERENCES distribution_events (id) ON DELETE CASCADE,
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      lp_token_holder_id uuid NOT NULL REFERENCES users (id),
      lp_tokens_held numeric(20, 7) NOT NULL CONSTRAINT distribution_allocations_tokens_check CHECK (lp_tokens_held > 0),
      ownership_percentage numeric(10, 7) NOT NULL CONSTRAINT distribution_allocations_percentage_check
        CHECK (ownership_percentage >= 0 AND ownership_percentage <= 100),
      allocated_amount numeric(20, 7) NOT NULL,
      withdrawn_amount numeric(20, 7) NOT NULL DEFAULT 0,
      pending_amount numeric(20, 7) NOT NULL DEFAULT 0,
      available_amount numeric(20, 7) NOT NULL,
      status varchar(50) NOT NULL DEFAULT 'allocated' CONSTRAINT distribution_allocations_status_check
        CHECK (status IN ('allocated', 'partially_withdrawn', 'fully_withdrawn')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT unique_distribution_allocation UNIQUE (distribution_event_id, lp_token_holder_id),
      CONSTRAINT distribution_allocations_amounts_check CHECK (
        allocated_amount >= 0 AND withdrawn_amount >= 0 AND pending_amount >= 0 AND available_amount >= 0
        AND allocated_amount = withdrawn_amount + pending_amount + available_amount
      )
    )`,
    sql`CREATE INDEX distribution_allocations_event_idx ON distribution_allocations (distribution_event_id)`,
    sql`CREATE INDEX distribution_allocations_holder_idx ON distribution_allocations (lp_token_holder_id)`,
    sql`CREATE INDEX distribution_allocations_project_idx ON distribution_allocations (project_id)`,
    sql`CREATE INDEX distribution_allocations_status_idx ON distribution_allocations (status)`,

    // Defined by an earlier phase of the platform; here as the seed's activity log needs it.
    sql`CREATE TABLE withdrawal_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      distribution_allocation_id uuid NOT NULL REFERENCES distribution_allocations (id) ON DELETE CASCADE,
      distribution_event_id uuid NOT NULL REFERENCES distribution_events (id) ON DELETE CASCADE,
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      lp_token_holder_id uuid NOT NULL REFERENCES users (id),
      amount numeric(20, 7) NOT NULL CONSTRAINT withdrawal_requests_amount_check CHECK (amount > 0),
      status varchar(16) NOT NULL DEFAULT 'pending' CONSTRAINT withdrawal_requests_status_check
        CHECK (status IN ('pending', 'approved', 'rejected', 'paid')),
      requested_by uuid NOT NULL REFERENCES users (id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users (id),
      decided_at timestamptz,
      decision_reason text,
      paid_by uuid REFERENCES users (id),
      paid_at timestamptz,
      payment_reference varchar(255),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT withdrawal_requests_decision_check CHECK (
        (status = 'pending' AND decided_at IS NULL)
        OR (status IN ('approved', 'rejected', 'paid') AND decided_by IS NOT NULL AND decided_at IS NOT NULL)
      ),
      CONSTRAINT withdrawal_requests_payment_check CHECK (
        (status = 'paid') = (paid_at IS NOT NULL AND payment_reference IS NOT NULL)
      )
    )`,
    sql`CREATE INDEX withdrawal_requests_allocation_idx ON withdrawal_requests (distribution_allocation_id)`,
    sql`CREATE INDEX withdrawal_requests_event_idx ON withdrawal_requests (distribution_event_id)`,
    sql`CREATE INDEX withdrawal_requests_holder_status_idx ON withdrawal_requests (lp_token_holder_id, status)`,
    sql`CREATE INDEX withdrawal_requests_status_idx ON withdrawal_requests (status, requested_at)`,

    sql`CREATE TABLE distribution_activity_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      distribution_event_id uuid REFERENCES distribution_events (id) ON DELETE CASCADE,
      withdrawal_request_id uuid REFERENCES withdrawal_requests (id) ON DELETE SET NULL,
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      activity_type varchar(50) NOT NULL CONSTRAINT distribution_activity_log_type_check CHECK (activity_type IN (
        'event_created', 'allocations_calculated', 'withdrawal_requested', 'withdrawal_approved',
        'withdrawal_rejected', 'payment_recorded', 'event_completed', 'event_cancelled'
      )),
      performed_by uuid NOT NULL REFERENCES users (id),
      previous_status varchar(50),
      new_status varchar(50),
      changes_summary jsonb,
      metadata jsonb,
      ip_address varchar(45),
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX distribution_activity_event_idx ON distribution_activity_log (distribution_event_id)`,
    sql`CREATE INDEX distribution_activity_withdrawal_idx ON distribution_activity_log (withdrawal_request_id)`,
    sql`CREATE INDEX distribution_activity_project_idx ON distribution_activity_log (project_id)`,
    sql`CREATE INDEX distribution_activity_type_idx ON distribution_activity_log (activity_type)`,
    sql`CREATE INDEX distribution_activity_performed_by_idx ON distribution_activity_log (performed_by)`,
    sql`CREATE INDEX distribution_activity_created_at_idx ON distribution_activity_log (created_at)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['distribution_activity_log', 'withdrawal_requests', 'distribution_allocations', 'distribution_events']) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
}
