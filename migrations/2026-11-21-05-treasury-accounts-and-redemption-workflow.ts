import { type Kysely, sql } from 'kysely';

// Treasury transactions move money between accounts (a platform wallet, or the outside world);
// redemptions are approved through a Step Functions workflow.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Who moved money where: NULL is the outside world. The pool is the wallet with role treasury_pool.
    sql`ALTER TABLE treasury_pool_transactions
      ADD COLUMN source_wallet varchar(64),
      ADD COLUMN recorded_by uuid REFERENCES users (id),
      ADD COLUMN cashflow_id uuid REFERENCES project_cashflows (id),
      ADD COLUMN redemption_request_id uuid REFERENCES redemption_requests (id),
      ADD CONSTRAINT treasury_pool_transactions_accounts_check CHECK (
        source_wallet IS NOT NULL OR destination_wallet IS NOT NULL),
      ADD CONSTRAINT treasury_pool_transactions_distinct_accounts_check CHECK (
        source_wallet IS DISTINCT FROM destination_wallet)`,
    // A verified cashflow is brought into the pool once; a redemption pays from each wallet once.
    sql`CREATE UNIQUE INDEX treasury_pool_transactions_cashflow_idx ON treasury_pool_transactions (cashflow_id)
      WHERE cashflow_id IS NOT NULL`,
    sql`CREATE UNIQUE INDEX treasury_pool_transactions_redemption_idx
      ON treasury_pool_transactions (redemption_request_id, source_wallet) WHERE redemption_request_id IS NOT NULL`,
    sql`CREATE INDEX treasury_pool_transactions_source_idx ON treasury_pool_transactions (source_wallet)`,
    sql`CREATE INDEX treasury_pool_transactions_destination_idx ON treasury_pool_transactions (destination_wallet)`,
    sql`CREATE INDEX treasury_pool_transactions_created_idx ON treasury_pool_transactions (created_at DESC, id DESC)`,
    // One pool from here on. A database from before phase 4 may hold several wallets of type
    // treasury, to all of which 02 gave the pool's role: the earliest registered stays the pool
    // (on a tie, the first address in byte order, whatever the collation), the others become
    // `treasury` wallets. Nothing moves: their balances stay theirs, listed and readable, and
    // buybacks do not draw on them (only the pool and liquidity wallets fund one) until an admin
    // moves their money or makes one of them the pool (PATCH /api/wallets/{id}, audited).
    sql`UPDATE platform_wallets SET wallet_role = 'treasury'
      WHERE wallet_role = 'treasury_pool' AND id <> (
        SELECT id FROM platform_wallets WHERE wallet_role = 'treasury_pool'
        ORDER BY created_at, address COLLATE "C" LIMIT 1)`,
    sql`CREATE UNIQUE INDEX platform_wallets_one_treasury_pool_idx ON platform_wallets (wallet_role)
      WHERE wallet_role = 'treasury_pool'`,

    sql`ALTER TABLE redemption_requests
      ADD COLUMN rejection_reason text,
      ADD COLUMN decided_by uuid REFERENCES users (id),
      ADD COLUMN decided_at timestamptz,
      ADD COLUMN execution_name varchar(80),
      ADD COLUMN task_token text,
      ADD COLUMN approval_expires_at timestamptz,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_status_check`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_status_check
      CHECK (status IN ('pending', 'awaiting_approval', 'processing', 'completed', 'rejected'))`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_rejection_check
      CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL))`,
    sql`CREATE INDEX redemption_requests_status_idx ON redemption_requests (status, created_at DESC, id DESC)`,
    sql`CREATE INDEX redemption_requests_created_idx ON redemption_requests (created_at DESC, id DESC)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`DROP INDEX redemption_requests_created_idx`,
    sql`DROP INDEX redemption_requests_status_idx`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_rejection_check`,
    // Statuses only the workflow produces fold back into the ones before it.
    sql`UPDATE redemption_requests SET status = 'pending' WHERE status = 'awaiting_approval'`,
    sql`ALTER TABLE redemption_requests DROP CONSTRAINT redemption_requests_status_check`,
    sql`ALTER TABLE redemption_requests ADD CONSTRAINT redemption_requests_status_check
      CHECK (status IN ('pending', 'processing', 'completed', 'rejected'))`,
    sql`ALTER TABLE redemption_requests
      DROP COLUMN updated_at, DROP COLUMN approval_expires_at, DROP COLUMN task_token, DROP COLUMN execution_name,
      DROP COLUMN decided_at, DROP COLUMN decided_by, DROP COLUMN rejection_reason`,
    // Wallets that up made `treasury` stay so: a role the schema before allows, and which up keeps,
    // so down and up again choose the same pool (and an admin's choice of pool since is not undone).
    sql`DROP INDEX platform_wallets_one_treasury_pool_idx`,
    sql`DROP INDEX treasury_pool_transactions_created_idx`,
    sql`DROP INDEX treasury_pool_transactions_destination_idx`,
    sql`DROP INDEX treasury_pool_transactions_source_idx`,
    sql`DROP INDEX treasury_pool_transactions_redemption_idx`,
    sql`DROP INDEX treasury_pool_transactions_cashflow_idx`,
    sql`ALTER TABLE treasury_pool_transactions
      DROP CONSTRAINT treasury_pool_transactions_distinct_accounts_check,
      DROP CONSTRAINT treasury_pool_transactions_accounts_check,
      DROP COLUMN redemption_request_id, DROP COLUMN cashflow_id, DROP COLUMN recorded_by, DROP COLUMN source_wallet`,
  ];
  for (const statement of statements) await statement.execute(db);
}
