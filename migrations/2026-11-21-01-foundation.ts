import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code.
// One statement per query, because the RDS Data API runs one statement per call.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE users (
      id uuid PRIMARY KEY,
      email varchar(320) NOT NULL,
      name varchar(255),
      role varchar(16) NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin', 'lp')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE UNIQUE INDEX users_email_unique_idx ON users (lower(email))`,

    sql`CREATE TABLE projects (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name varchar(255) NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'active'
        CONSTRAINT projects_status_check CHECK (status IN ('active', 'suspended', 'closed')),
      current_nav_per_token numeric(30, 8)
        CONSTRAINT projects_current_nav_check CHECK (current_nav_per_token >= 0),
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX projects_status_idx ON projects (status)`,

    // The ledger is the source of truth for holdings: balances as of any instant are
    // the sum of movements effective at or before it.
    sql`CREATE TABLE lp_token_movements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      kind varchar(16) NOT NULL CONSTRAINT lp_token_movements_kind_check CHECK (kind IN ('issue', 'transfer', 'burn')),
      from_holder_id uuid REFERENCES users (id),
      to_holder_id uuid REFERENCES users (id),
      amount numeric(30, 7) NOT NULL CONSTRAINT lp_token_movements_amount_check CHECK (amount > 0),
      effective_at timestamptz NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users (id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT lp_token_movements_parties_check CHECK (
        (kind = 'issue' AND from_holder_id IS NULL AND to_holder_id IS NOT NULL)
        OR (kind = 'burn' AND from_holder_id IS NOT NULL AND to_holder_id IS NULL)
        OR (kind = 'transfer' AND from_holder_id IS NOT NULL AND to_holder_id IS NOT NULL
            AND from_holder_id <> to_holder_id)
      )
    )`,
    sql`CREATE INDEX lp_token_movements_project_effective_idx ON lp_token_movements (project_id, effective_at)`,
    sql`CREATE INDEX lp_token_movements_from_idx ON lp_token_movements (project_id, from_holder_id, effective_at)`,
    sql`CREATE INDEX lp_token_movements_to_idx ON lp_token_movements (project_id, to_holder_id, effective_at)`,

    // Current balance per holder, kept in step with the ledger in the same transaction.
    sql`CREATE TABLE lp_allocations (
      project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      lp_token_holder_id uuid NOT NULL REFERENCES users (id),
      lp_tokens_allocated numeric(30, 7) NOT NULL DEFAULT 0
        CONSTRAINT lp_allocations_balance_check CHECK (lp_tokens_allocated >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT lp_allocations_pkey PRIMARY KEY (project_id, lp_token_holder_id)
    )`,
    sql`CREATE INDEX lp_allocations_holder_idx ON lp_allocations (lp_token_holder_id)`,

    sql`CREATE TABLE platform_wallets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      address varchar(128) NOT NULL CONSTRAINT platform_wallets_address_unique UNIQUE,
      label varchar(255),
      wallet_type varchar(32) NOT NULL
        CONSTRAINT platform_wallets_type_check CHECK (wallet_type IN ('lp', 'admin', 'treasury', 'distribution')),
      project_id uuid REFERENCES projects (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX platform_wallets_project_idx ON platform_wallets (project_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['platform_wallets', 'lp_allocations', 'lp_token_movements', 'projects', 'users']) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
}
