import { type Kysely, sql } from 'kysely';

// Domain events (issue 12): each state change another system cares about, recorded in the
// transaction that makes it, served in transaction order by GET /api/events and handed to
// EventBridge (and, for what waits on an approver, to the approvers' SNS topic) through the outbox.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE domain_events (
      id uuid PRIMARY KEY,
      -- The order within a transaction, assigned at insert.
      seq bigint GENERATED ALWAYS AS IDENTITY,
      -- The recording transaction's id: the feed shows an event once every transaction with a
      -- smaller id has ended, so a reader that keeps its place never skips one committed later.
      xact_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      type varchar(64) NOT NULL,
      subject_id uuid NOT NULL,
      detail jsonb NOT NULL CONSTRAINT domain_events_detail_check CHECK (jsonb_typeof(detail) = 'object'),
      occurred_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE UNIQUE INDEX domain_events_feed_idx ON domain_events (xact_id, seq)`,
    sql`CREATE INDEX domain_events_type_feed_idx ON domain_events (type, xact_id, seq)`,

    sql`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_destination_check`,
    sql`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_destination_check
      CHECK (destination IN ('sqs', 'sfn:start-execution', 'sfn:send-task-success', 'sfn:send-task-failure',
        'eventbridge:put-events', 'sns:publish'))`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Messages to EventBridge and SNS go with the destinations they name.
    sql`DELETE FROM outbox_messages WHERE destination IN ('eventbridge:put-events', 'sns:publish')`,
    sql`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_destination_check`,
    sql`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_destination_check
      CHECK (destination IN ('sqs', 'sfn:start-execution', 'sfn:send-task-success', 'sfn:send-task-failure'))`,
    sql`DROP TABLE domain_events`,
  ];
  for (const statement of statements) await statement.execute(db);
}
