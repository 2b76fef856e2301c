import { type Kysely, sql } from 'kysely';

// Phase 4: NAV history, cashflows, treasury pool, redemptions, admin audit, wallet roles.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE project_nav_history (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      nav_per_token numeric(30, 8) NOT NULL CONSTRAINT project_nav_history_nav_check CHECK (nav_per_token >= 0),
      source varchar(32) NOT NULL
        CONSTRAINT project_nav_history_source_check CHECK (source IN ('manual', 'formula', 'audited')),
      effective_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users (id),
      notes text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX project_nav_history_project_effective_idx ON project_nav_history (project_id, effective_at DESC)`,

    sql`CREATE TABLE project_cashflows (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      amount_ngnts numeric(30, 2) NOT NULL CONSTRAINT project_cashflows_amount_check CHECK (amount_ngnts > 0),
      source varchar(128),
      source_document_url text,
      recorded_by uuid REFERENCES users (id),
      verified_by uuid REFERENCES users (id),
      verified_at timestamptz,
      status varchar(16) NOT NULL DEFAULT 'recorded'
        CONSTRAINT project_cashflows_status_check CHECK (status IN ('recorded', 'verified', 'tokenized')),
      chain_tx_hash text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX project_cashflows_project_idx ON project_cashflows (project_id, created_at DESC)`,
    sql`CREATE INDEX project_cashflows_status_idx ON project_cashflows (status)`,

    sql`CREATE TABLE treasury_pool_transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      type varchar(32) NOT NULL CONSTRAINT treasury_pool_transactions_type_check
        CHECK (type IN ('inflow', 'allocation', 'buyback', 'replenish', 'fee')),
      amount_ngnts numeric(30, 2) NOT NULL CONSTRAINT treasury_pool_transactions_amount_check CHECK (amount_ngnts > 0),
      source_project_id uuid REFERENCES projects (id),
      destination_wallet varchar(64),
      related_tx_hash text,
      metadata jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX treasury_pool_transactions_type_idx ON treasury_pool_transactions (type, created_at DESC)`,
    sql`CREATE INDEX treasury_pool_transactions_project_idx ON treasury_pool_transactions (source_project_id, created_at DESC)`,

    sql`CREATE TABLE redemption_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id),
      project_id uuid NOT NULL REFERENCES projects (id),
      tokens_amount numeric(30, 8) NOT NULL CONSTRAINT redemption_requests_tokens_check CHECK (tokens_amount > 0),
      nav_snapshot numeric(30, 8) NOT NULL CONSTRAINT redemption_requests_nav_check CHECK (nav_snapshot >= 0),
      redemption_value_ngnts numeric(30, 2) NOT NULL
        CONSTRAINT redemption_requests_value_check CHECK (redemption_value_ngnts >= 0),
      funding_plan jsonb NOT NULL DEFAULT '{}'::jsonb,
      tx_hashes jsonb NOT NULL DEFAULT '[]'::jsonb,
      status varchar(32) NOT NULL DEFAULT 'pending'
        CONSTRAINT redemption_requests_status_check CHECK (status IN ('pending', 'processing', 'completed', 'rejected')),
      created_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz
    )`,
    sql`CREATE INDEX redemption_requests_user_idx ON redemption_requests (user_id, created_at DESC)`,
    sql`CREATE INDEX redemption_requests_project_status_idx ON redemption_requests (project_id, status)`,

    sql`CREATE TABLE audit_admin_actions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      admin_id uuid NOT NULL REFERENCES users (id),
      action varchar(128) NOT NULL,
      target jsonb,
      details jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX audit_admin_actions_admin_idx ON audit_admin_actions (admin_id, created_at DESC)`,
    sql`CREATE INDEX audit_admin_actions_created_at_idx ON audit_admin_actions (created_at DESC)`,

    sql`ALTER TABLE platform_wallets
      ADD COLUMN wallet_role varchar(32)
        CONSTRAINT platform_wallets_role_check
        CHECK (wallet_role IN ('operations', 'treasury', 'distribution', 'liquidity_pool', 'treasury_pool')),
      ADD COLUMN min_reserve_threshold numeric(30, 2)
        CONSTRAINT platform_wallets_min_reserve_check CHECK (min_reserve_threshold >= 0)`,
    sql`UPDATE platform_wallets SET wallet_role = CASE wallet_type
        WHEN 'lp' THEN 'liquidity_pool'
        WHEN 'admin' THEN 'operations'
        WHEN 'treasury' THEN 'treasury_pool'
        WHEN 'distribution' THEN 'distribution'
      END
      WHERE wallet_role IS NULL`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE platform_wallets DROP COLUMN min_reserve_threshold, DROP COLUMN wallet_role`,
    sql`DROP TABLE audit_admin_actions`,
    sql`DROP TABLE redemption_requests`,
    sql`DROP TABLE treasury_pool_transactions`,
    sql`DROP TABLE project_cashflows`,
    sql`DROP TABLE project_nav_history`,
  ];
  for (const statement of statements) await statement.execute(db);
}
