import { type Kysely, sql } from 'kysely';

// A dual-control proposal waits for a second admin only until its window ends: past it no one
// can decide it, and the reconciler ends it as `expired` (decided_at set, decided_by null: the
// platform ended it, not a person). Proposals made before this migration get the default window
// from when they were made.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE dual_control_proposals ADD COLUMN expires_at timestamptz`,
    sql`UPDATE dual_control_proposals SET expires_at = created_at + interval '7 days'`,
    sql`ALTER TABLE dual_control_proposals ALTER COLUMN expires_at SET NOT NULL`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_expiry_check CHECK (expires_at > created_at)`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_status_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_status_check
      CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'expired'))`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_decided_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_decided_check
      CHECK ((status IN ('pending', 'expired')) = (decided_by IS NULL) AND (status = 'pending') = (decided_at IS NULL))`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_four_eyes_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_four_eyes_check
      CHECK (status IN ('pending', 'expired') OR (status = 'withdrawn') = (decided_by = proposed_by))`,
    // The reconciler's question: which pending proposals are past their window.
    sql`CREATE INDEX dual_control_proposals_expiry_idx ON dual_control_proposals (expires_at, id) WHERE status = 'pending'`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`DROP INDEX dual_control_proposals_expiry_idx`,
    // The schema before this migration has no expiry: an expired proposal is pending again, as
    // it was before its window ended, and can still be decided.
    sql`UPDATE dual_control_proposals SET status = 'pending', decided_at = NULL WHERE status = 'expired'`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_four_eyes_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_four_eyes_check
      CHECK (status = 'pending' OR (status = 'withdrawn') = (decided_by = proposed_by))`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_decided_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_decided_check
      CHECK ((status = 'pending') = (decided_by IS NULL) AND (status = 'pending') = (decided_at IS NULL))`,
    sql`ALTER TABLE dual_control_proposals DROP CONSTRAINT dual_control_proposals_status_check`,
    sql`ALTER TABLE dual_control_proposals ADD CONSTRAINT dual_control_proposals_status_check
      CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn'))`,
    sql`ALTER TABLE dual_control_proposals DROP COLUMN expires_at`,
  ];
  for (const statement of statements) await statement.execute(db);
}
