import { type Kysely, sql } from 'kysely';

// Issue 11: an LP reads why a redemption ended unpaid as a reason code with plain words, while the
// detailed reasons stay for admins; an Idempotency-Key's record is marked in the transaction of
// the change it protects, and keeps its response as text of bounded size.
// Frozen in time: this file never imports application code.

const REASON_CODES = `'rejected', 'treasury_unavailable', 'approval_expired', 'no_longer_valid', 'processing_failed'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE redemption_requests ADD COLUMN reason_code varchar(32)`,
    // Requests ended before this migration: the code their reason's words show, else the general one.
    sql`UPDATE redemption_requests SET reason_code = CASE
        WHEN status = 'failed' THEN 'processing_failed'
        WHEN rejection_reason LIKE 'The treasury cannot fund it%' THEN 'treasury_unavailable'
        WHEN rejection_reason LIKE 'Expired%' THEN 'approval_expired'
        ELSE 'rejected' END
      WHERE status IN ('rejected', 'failed')`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_reason_code_check
      CHECK (reason_code IN (${sql.raw(REASON_CODES)}))`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_reason_check
      CHECK ((status IN ('rejected', 'failed')) = (reason_code IS NOT NULL))`,

    // Set in the transaction of the change the key protects: from then on the key never runs again.
    sql`ALTER TABLE idempotency_records ADD COLUMN committed_at timestamptz`,
    // The response as it is replayed, its size checked where it is written.
    sql`ALTER TABLE idempotency_records ALTER COLUMN response_data TYPE text USING response_data::text`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE idempotency_records ALTER COLUMN response_data TYPE jsonb USING response_data::jsonb`,
    sql`ALTER TABLE idempotency_records DROP COLUMN committed_at`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_reason_check`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_reason_code_check`,
    sql`ALTER TABLE redemption_requests DROP COLUMN reason_code`,
  ];
  for (const statement of statements) await statement.execute(db);
}
