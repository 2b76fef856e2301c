import { type Kysely, sql } from 'kysely';

// Dual control (maker–checker): a change one admin proposes takes effect only when another
// approves it, and each proposal keeps who made it, who decided it and what it wrote. A
// redemption keeps the NAV entry it was valued at, so its approver can be held apart from
// whoever made that entry.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE dual_control_proposals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      action varchar(32) NOT NULL CONSTRAINT dual_control_proposals_action_check
        CHECK (action IN ('nav.record', 'lp_tokens.issue', 'treasury.inflow', 'treasury.replenish')),
      project_id uuid REFERENCES projects (id),
      request jsonb NOT NULL,
      -- What the proposer saw that approval checks again (e.g. NAV entries dated at or after theirs).
      basis jsonb,
      status varchar(16) NOT NULL DEFAULT 'pending' CONSTRAINT dual_control_proposals_status_check
        CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
      proposed_by uuid NOT NULL REFERENCES users (id),
      decided_by uuid REFERENCES users (id),
      decided_at timestamptz,
      decision_reason text,
      applied_record_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT dual_control_proposals_project_check
        CHECK (action NOT IN ('nav.record', 'lp_tokens.issue') OR project_id IS NOT NULL),
      CONSTRAINT dual_control_proposals_decided_check
        CHECK ((status = 'pending') = (decided_by IS NULL) AND (status = 'pending') = (decided_at IS NULL)),
      -- Four eyes: another admin approves or rejects; only the proposer withdraws.
      CONSTRAINT dual_control_proposals_four_eyes_check
        CHECK (status = 'pending' OR (status = 'withdrawn') = (decided_by = proposed_by)),
      CONSTRAINT dual_control_proposals_reason_check CHECK (status <> 'rejected' OR decision_reason IS NOT NULL),
      CONSTRAINT dual_control_proposals_applied_check CHECK ((status = 'approved') = (applied_record_id IS NOT NULL))
    )`,
    sql`CREATE INDEX dual_control_proposals_page_idx ON dual_control_proposals (created_at DESC, id DESC)`,
    sql`CREATE INDEX dual_control_proposals_status_idx ON dual_control_proposals (status, created_at DESC, id DESC)`,
    sql`CREATE INDEX dual_control_proposals_project_idx ON dual_control_proposals (project_id, created_at DESC, id DESC)`,

    // Null for requests made before this migration: the NAV in force when they were made.
    sql`ALTER TABLE redemption_requests ADD COLUMN nav_entry_id uuid REFERENCES project_nav_history (id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE redemption_requests DROP COLUMN nav_entry_id`,
    // Pending proposals go with the table: none of them had taken effect.
    sql`DROP TABLE dual_control_proposals`,
  ];
  for (const statement of statements) await statement.execute(db);
}
