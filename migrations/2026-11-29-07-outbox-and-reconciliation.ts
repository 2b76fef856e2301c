import { type Kysely, sql } from 'kysely';

// Every state that waits has a way out: a transactional outbox for what a state change hands
// to SQS or Step Functions, the reconciler's record of what it has seen not move, redemptions
// that end `failed`, and audit rows written by the platform itself rather than a person.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // A message written in the transaction of the state change it follows, then delivered.
    sql`CREATE TABLE outbox_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind varchar(64) NOT NULL,
      subject_id uuid NOT NULL,
      destination varchar(32) NOT NULL CONSTRAINT outbox_messages_destination_check
        CHECK (destination IN ('sqs', 'sfn:start-execution', 'sfn:send-task-success', 'sfn:send-task-failure')),
      payload jsonb NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'pending' CONSTRAINT outbox_messages_status_check
        CHECK (status IN ('pending', 'delivered', 'refused', 'dead')),
      attempts integer NOT NULL DEFAULT 0 CONSTRAINT outbox_messages_attempts_check CHECK (attempts >= 0),
      next_attempt_at timestamptz NOT NULL,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz,
      CONSTRAINT outbox_messages_settled_check CHECK ((status = 'pending') = (settled_at IS NULL))
    )`,
    sql`CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'pending'`,
    sql`CREATE INDEX outbox_messages_pending_subject_idx ON outbox_messages (subject_id, kind) WHERE status = 'pending'`,
    sql`CREATE INDEX outbox_messages_settled_idx ON outbox_messages (settled_at) WHERE status IN ('delivered', 'refused')`,
    sql`CREATE INDEX outbox_messages_dead_idx ON outbox_messages (created_at) WHERE status = 'dead'`,

    // What the reconciler last saw of work that should be moving, and how often it has healed it since.
    sql`CREATE TABLE reconciler_observations (
      kind varchar(32) NOT NULL,
      subject_id uuid NOT NULL,
      progress text NOT NULL,
      unchanged_since timestamptz NOT NULL,
      heals integer NOT NULL DEFAULT 0 CONSTRAINT reconciler_observations_heals_check CHECK (heals >= 0),
      last_healed_at timestamptz,
      PRIMARY KEY (kind, subject_id)
    )`,

    // A redemption whose workflow broke down ends `failed`, with a reason its LP can read.
    sql`ALTER TABLE redemption_requests ADD COLUMN failure_reason text`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_status_check`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_status_check
      CHECK (status IN ('pending', 'awaiting_approval', 'processing', 'completed', 'rejected', 'failed'))`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_failure_check
      CHECK ((status = 'failed') = (failure_reason IS NOT NULL))`,

    // NULL: the platform acted on its own (the reconciler, a workflow step), not a person.
    sql`ALTER TABLE audit_admin_actions ALTER COLUMN admin_id DROP NOT NULL`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // The schema before this migration has no actor but an admin: the platform's own rows go.
    sql`DELETE FROM audit_admin_actions WHERE admin_id IS NULL`,
    sql`ALTER TABLE audit_admin_actions ALTER COLUMN admin_id SET NOT NULL`,

    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_failure_check`,
    // A failed request folds into the nearest status before it: rejected, with the same reason.
    sql`UPDATE redemption_requests SET status = 'rejected', rejection_reason = failure_reason WHERE status = 'failed'`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_status_check`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_status_check
      CHECK (status IN ('pending', 'awaiting_approval', 'processing', 'completed', 'rejected'))`,
    sql`ALTER TABLE redemption_requests DROP COLUMN failure_reason`,

    sql`DROP TABLE reconciler_observations`,
    sql`DROP TABLE outbox_messages`,
  ];
  for (const statement of statements) await statement.execute(db);
}
