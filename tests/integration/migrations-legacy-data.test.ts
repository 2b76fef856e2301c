import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../migrations';
import { createDb, type Db } from '../../shared/db/client';
import { migrateTo, migrateToLatest, migrationStatus } from '../../shared/db/migrator';
import { getTreasuryPoolBalance, getWalletBalance } from '../../shared/treasury/balances';
import { fundingWallets } from '../../shared/wallets/wallets.repository';
import { createDatabase, dropDatabase, testDatabaseConfig, testDatabaseEnv } from '../support/databases';

// A database that already holds the platform's data, migrated as a deploy migrates it. Before
// migration 05 every wallet of type `treasury` has the role `treasury_pool` (02 filled roles in
// from types); 05 allows one pool. The earliest registered keeps the role (the first address in
// byte order on a tie); the others become `treasury` wallets: listed, with their balances, and
// out of buyback funding until an admin moves their money or makes one of them the pool.

const names = Object.keys(migrations);
const FOUNDATION = names[0]!;
const TREASURY_ACCOUNTS = '2026-11-21-05-treasury-accounts-and-redemption-workflow';
const BEFORE_TREASURY_ACCOUNTS = names[names.indexOf(TREASURY_ACCOUNTS) - 1]!;

const id = {
  admin: '00000000-0000-4000-8000-00000000000a',
  secondAdmin: '00000000-0000-4000-8000-00000000000b',
  lp1: '00000000-0000-4000-8000-000000000001',
  lp2: '00000000-0000-4000-8000-000000000002',
  lp3: '00000000-0000-4000-8000-000000000003',
  solar: '00000000-0000-4000-8000-0000000000a1',
  farm: '00000000-0000-4000-8000-0000000000a2',
  event: '00000000-0000-4000-8000-0000000000e1',
  draftEvent: '00000000-0000-4000-8000-0000000000e2',
  allocation1: '00000000-0000-4000-8000-0000000000c1',
  allocation2: '00000000-0000-4000-8000-0000000000c2',
  paidWithdrawal: '00000000-0000-4000-8000-0000000000d1',
  pendingWithdrawal: '00000000-0000-4000-8000-0000000000d2',
};

/** The platform before phase 4: users, projects, the LP token ledger and holdings, wallets. */
async function seedLegacyPlatform(db: Db) {
  const statements = [
    sql`INSERT INTO users (id, email, name, role, created_at) VALUES
      (${id.admin}::uuid, 'ops@tokenstocks.example', 'Ada Ops', 'admin', '2024-10-01T08:00:00Z'),
      (${id.secondAdmin}::uuid, 'finance@tokenstocks.example', 'Femi Finance', 'admin', '2024-10-02T08:00:00Z'),
      (${id.lp1}::uuid, 'ngozi@example.com', 'Ngozi', 'lp', '2024-12-01T10:00:00Z'),
      (${id.lp2}::uuid, 'tunde@example.com', NULL, 'lp', '2024-12-03T10:00:00Z'),
      (${id.lp3}::uuid, 'amaka@example.com', 'Amaka', 'lp', '2025-01-20T10:00:00Z')`,
    sql`INSERT INTO projects (id, name, status, current_nav_per_token, created_by, created_at) VALUES
      (${id.solar}::uuid, 'Kano Solar', 'active', 1.25, ${id.admin}::uuid, '2024-11-01T00:00:00Z'),
      (${id.farm}::uuid, 'Ogun Farm', 'suspended', 0.95, ${id.secondAdmin}::uuid, '2024-11-15T00:00:00Z')`,
    sql`INSERT INTO lp_token_movements (project_id, kind, from_holder_id, to_holder_id, amount, effective_at, recorded_by) VALUES
      (${id.solar}::uuid, 'issue', NULL, ${id.lp1}::uuid, 1000, '2025-01-15T00:00:00Z', ${id.admin}::uuid),
      (${id.solar}::uuid, 'issue', NULL, ${id.lp2}::uuid, 500, '2025-01-15T00:00:00Z', ${id.admin}::uuid),
      (${id.solar}::uuid, 'transfer', ${id.lp1}::uuid, ${id.lp3}::uuid, 200, '2025-03-01T00:00:00Z', ${id.admin}::uuid),
      (${id.solar}::uuid, 'burn', ${id.lp2}::uuid, NULL, 50, '2025-04-01T00:00:00Z', ${id.secondAdmin}::uuid),
      (${id.farm}::uuid, 'issue', NULL, ${id.lp3}::uuid, 300.1234567, '2025-02-01T00:00:00Z', ${id.secondAdmin}::uuid)`,
    sql`INSERT INTO lp_allocations (project_id, lp_token_holder_id, lp_tokens_allocated) VALUES
      (${id.solar}::uuid, ${id.lp1}::uuid, 800), (${id.solar}::uuid, ${id.lp2}::uuid, 450),
      (${id.solar}::uuid, ${id.lp3}::uuid, 200), (${id.farm}::uuid, ${id.lp3}::uuid, 300.1234567)`,
    // Four treasury wallets. The vault and the cold wallet were imported together (one instant);
    // the hot wallet sorts before the vault by address but was registered later.
    sql`INSERT INTO platform_wallets (address, label, wallet_type, project_id, created_at) VALUES
      ('0xtreasuryCold', 'Cold storage', 'treasury', NULL, '2024-11-04T09:00:00Z'),
      ('0xTreasuryVault', 'Treasury vault', 'treasury', NULL, '2024-11-04T09:00:00Z'),
      ('0xTreasuryHot', 'Hot wallet', 'treasury', NULL, '2025-02-17T12:30:00Z'),
      ('0xTreasuryReserve', NULL, 'treasury', NULL, '2025-06-01T10:00:00Z'),
      ('0xLpSolar', 'Solar liquidity', 'lp', ${id.solar}::uuid, '2024-11-02T00:00:00Z'),
      ('0xLpShared', 'Shared liquidity', 'lp', NULL, '2024-11-03T00:00:00Z'),
      ('0xOps', 'Operations', 'admin', NULL, '2024-10-01T09:00:00Z'),
      ('0xPayouts', 'LP payouts', 'distribution', NULL, '2024-10-05T09:00:00Z')`,
  ];
  for (const statement of statements) await statement.execute(db);
}

/** What phases 4 and 4.1 recorded before migration 05: one row or more in every table. */
async function seedPhase4Activity(db: Db) {
  const statements = [
    sql`INSERT INTO project_nav_history (project_id, nav_per_token, source, effective_at, updated_by, notes) VALUES
      (${id.solar}::uuid, 1.1, 'manual', '2025-01-01T00:00:00Z', ${id.admin}::uuid, 'Opening NAV'),
      (${id.solar}::uuid, 1.25, 'audited', '2025-06-30T00:00:00Z', ${id.secondAdmin}::uuid, NULL),
      (${id.farm}::uuid, 0.95, 'formula', '2025-03-31T00:00:00Z', NULL, NULL)`,
    sql`INSERT INTO project_cashflows
      (project_id, amount_ngnts, source, source_document_url, recorded_by, verified_by, verified_at, status, chain_tx_hash) VALUES
      (${id.solar}::uuid, 120000.00, 'Q1 power sales', 'https://docs.example/q1.pdf', ${id.admin}::uuid,
        ${id.secondAdmin}::uuid, '2025-04-10T00:00:00Z', 'verified', NULL),
      (${id.solar}::uuid, 5000.00, 'Grid rebate', NULL, ${id.secondAdmin}::uuid, NULL, NULL, 'recorded', NULL),
      (${id.farm}::uuid, 30000.00, 'Harvest', NULL, ${id.secondAdmin}::uuid, ${id.admin}::uuid, '2025-05-01T00:00:00Z',
        'tokenized', '0xabc123')`,
    // Money that reached each treasury wallet (before 05, a transaction names only its destination).
    sql`INSERT INTO treasury_pool_transactions (type, amount_ngnts, source_project_id, destination_wallet, related_tx_hash, metadata, created_at) VALUES
      ('inflow', 120000.00, ${id.solar}::uuid, '0xTreasuryVault', '0xin1', '{"note": "Q1 power sales"}', '2025-04-11T00:00:00Z'),
      ('inflow', 30000.00, ${id.farm}::uuid, '0xTreasuryVault', '0xin2', NULL, '2025-05-02T00:00:00Z'),
      ('inflow', 2500.50, NULL, '0xTreasuryHot', NULL, NULL, '2025-02-18T00:00:00Z'),
      ('replenish', 10000.00, NULL, '0xtreasuryCold', '0xrep1', NULL, '2025-03-01T00:00:00Z'),
      ('inflow', 777.77, NULL, '0xTreasuryReserve', NULL, '{"memo": "test deposit"}', '2025-06-02T00:00:00Z')`,
    sql`INSERT INTO redemption_requests
      (user_id, project_id, tokens_amount, nav_snapshot, redemption_value_ngnts, funding_plan, tx_hashes, status, processed_at) VALUES
      (${id.lp1}::uuid, ${id.solar}::uuid, 100, 1.25, 125.00, '{"sources": [{"wallet": "0xTreasuryVault", "amount": "125.00"}]}',
        '["0xbuy1"]', 'completed', '2025-07-01T00:00:00Z'),
      (${id.lp2}::uuid, ${id.solar}::uuid, 50, 1.25, 62.50, '{}', '[]', 'pending', NULL)`,
    sql`INSERT INTO audit_admin_actions (admin_id, action, target, details) VALUES
      (${id.admin}::uuid, 'wallet.register', '{"address": "0xTreasuryReserve"}', NULL),
      (${id.secondAdmin}::uuid, 'cashflow.verify', '{"project_id": "solar"}', '{"amount": "120000.00"}')`,
    sql`INSERT INTO distribution_events (id, project_id, event_type, title, total_amount, distribution_date, status,
        snapshot_date, snapshot_total_lp_tokens, snapshot_nav, total_allocated, total_withdrawn, total_pending, created_by,
        snapshot_holder_count, calculated_at) VALUES
      (${id.event}::uuid, ${id.solar}::uuid, 'revenue', 'Q1 revenue', 10000, '2025-04-15T00:00:00Z', 'active',
        '2025-03-31T00:00:00Z', 1250, 1.25, 10000, 6000, 1000, ${id.admin}::uuid, 2, '2025-04-15T01:00:00Z'),
      (${id.draftEvent}::uuid, ${id.farm}::uuid, 'exit', 'Farm exit', 50000, '2025-09-01T00:00:00Z', 'draft',
        NULL, NULL, NULL, 0, 0, 0, ${id.secondAdmin}::uuid, NULL, NULL)`,
    sql`INSERT INTO distribution_allocations (id, distribution_event_id, project_id, lp_token_holder_id, lp_tokens_held,
        ownership_percentage, allocated_amount, withdrawn_amount, pending_amount, available_amount, status) VALUES
      (${id.allocation1}::uuid, ${id.event}::uuid, ${id.solar}::uuid, ${id.lp1}::uuid, 800, 64, 6400, 6000, 0, 400, 'partially_withdrawn'),
      (${id.allocation2}::uuid, ${id.event}::uuid, ${id.solar}::uuid, ${id.lp2}::uuid, 450, 36, 3600, 0, 1000, 2600, 'allocated')`,
    sql`INSERT INTO withdrawal_requests (id, distribution_allocation_id, distribution_event_id, project_id, lp_token_holder_id,
        amount, status, requested_by, decided_by, decided_at, paid_by, paid_at, payment_reference) VALUES
      (${id.paidWithdrawal}::uuid, ${id.allocation1}::uuid, ${id.event}::uuid, ${id.solar}::uuid, ${id.lp1}::uuid, 6000, 'paid',
        ${id.lp1}::uuid, ${id.admin}::uuid, '2025-04-20T00:00:00Z', ${id.secondAdmin}::uuid, '2025-04-21T00:00:00Z', 'NIP-0001'),
      (${id.pendingWithdrawal}::uuid, ${id.allocation2}::uuid, ${id.event}::uuid, ${id.solar}::uuid, ${id.lp2}::uuid, 1000,
        'pending', ${id.lp2}::uuid, NULL, NULL, NULL, NULL, NULL)`,
    sql`INSERT INTO distribution_activity_log
      (distribution_event_id, withdrawal_request_id, project_id, activity_type, performed_by, previous_status, new_status, changes_summary) VALUES
      (${id.event}::uuid, NULL, ${id.solar}::uuid, 'event_created', ${id.admin}::uuid, NULL, 'draft', NULL),
      (${id.event}::uuid, NULL, ${id.solar}::uuid, 'allocations_calculated', ${id.admin}::uuid, 'calculating', 'calculated', '{"holders": 2}'),
      (${id.event}::uuid, ${id.paidWithdrawal}::uuid, ${id.solar}::uuid, 'payment_recorded', ${id.secondAdmin}::uuid, 'approved', 'paid', NULL)`,
    sql`INSERT INTO idempotency_records (id, status, expiry_timestamp, payload_hash, response_data) VALUES
      ('create-event#k1', 'COMPLETED', 1893456000, 'sha256:abc', '{"statusCode": 201}')`,
  ];
  for (const statement of statements) await statement.execute(db);
}

type Columns = Record<string, string[]>;

/** The tables and columns the database has now, to read the same ones back after migrating. */
async function columnsOf(db: Db): Promise<Columns> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_migration%'
    ORDER BY table_name, ordinal_position`.execute(db);
  const columns: Columns = {};
  for (const row of rows) (columns[row.table_name] ??= []).push(row.column_name);
  return columns;
}

/** Tables a later migration renames, by the name they had (2026-11-29-19: the balances say what they hold). */
const RENAMED: Record<string, string> = { lp_allocations: 'lp_token_balances' };

/** The table's name in the schema as it stands: its own, or the one a later migration gave it. */
async function currentName(db: Db, table: string): Promise<string> {
  const { rows } = await sql<{ present: boolean }>`SELECT to_regclass(${table}::text) IS NOT NULL AS present`.execute(db);
  return rows[0]?.present || RENAMED[table] === undefined ? table : RENAMED[table];
}

/** Every row of the given columns, table by table, as JSON (the same whichever driver reads it). */
async function rowsOf(db: Db, columns: Columns): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const [table, names] of Object.entries(columns)) {
    const from = await currentName(db, table);
    const { rows: read } = await sql<{ row: string }>`
      SELECT to_jsonb(r)::text AS row FROM (SELECT ${sql.join(names.map((name) => sql.ref(name)))} FROM ${sql.table(from)}) r
      ORDER BY 1`.execute(db);
    rows[table] = read.map(({ row }) => asJson(table, JSON.parse(row)));
  }
  return rows;
}

/** Migration 10 keeps a stored response as its JSON text (idempotency_records.response_data jsonb → text). */
function asJson(table: string, row: Record<string, unknown>): Record<string, unknown> {
  if (table !== 'idempotency_records' || typeof row.response_data !== 'string') return row;
  return { ...row, response_data: JSON.parse(row.response_data) };
}

/** The columns, less the wallets' roles, which migration 05 decides. */
const withoutWalletRole = (columns: Columns): Columns => ({
  ...columns,
  platform_wallets: columns.platform_wallets!.filter((name) => name !== 'wallet_role'),
});

async function rolesOf(db: Db) {
  const { rows } = await sql<{ address: string; wallet_role: string }>`
    SELECT address, wallet_role FROM platform_wallets ORDER BY address COLLATE "C"`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.address, row.wallet_role]));
}

const EXPECTED_ROLES = {
  '0xLpShared': 'liquidity_pool',
  '0xLpSolar': 'liquidity_pool',
  '0xOps': 'operations',
  '0xPayouts': 'distribution',
  '0xTreasuryHot': 'treasury',
  '0xTreasuryReserve': 'treasury',
  '0xTreasuryVault': 'treasury_pool',
  '0xtreasuryCold': 'treasury',
};

async function walletIdOf(db: Db, address: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM platform_wallets WHERE address = ${address}`.execute(db);
  return rows[0]!.id;
}

async function fundingAddresses(db: Db, projectId: string): Promise<string[]> {
  const addresses: string[] = [];
  for await (const wallet of fundingWallets(db, projectId)) addresses.push(wallet.address);
  return addresses;
}

async function withFreshDatabase(work: (db: Db, name: string) => Promise<void>) {
  const name = await createDatabase({ migrated: false });
  const db = createDb(testDatabaseConfig(name, 1));
  try {
    await work(db, name);
  } finally {
    await db.destroy();
    await dropDatabase(name);
  }
}

describe('migrating a database that already holds several treasury wallets', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keeps every row: the earliest registered treasury wallet becomes the pool, the others treasury wallets; down and up again change nothing', async () => {
    await withFreshDatabase(async (db) => {
      // Prepare: the platform's data from before phase 4, then what phases 4 and 4.1 added
      await migrateTo(db, FOUNDATION);
      await seedLegacyPlatform(db);
      await migrateTo(db, BEFORE_TREASURY_ACCOUNTS);
      await seedPhase4Activity(db);
      const columns = withoutWalletRole(await columnsOf(db));
      const before = await rowsOf(db, columns);

      // Act
      await migrateToLatest(db);

      // Assess: nothing lost or changed but the roles, and every treasury wallet keeps its balance
      expect(Object.keys(before).filter((table) => before[table]!.length === 0)).toEqual([]);
      expect(await rowsOf(db, columns)).toEqual(before);
      expect(await rolesOf(db)).toEqual(EXPECTED_ROLES);
      const pool = await getTreasuryPoolBalance(db);
      expect([pool.wallet.address, pool.balance.toFixed(2)]).toEqual(['0xTreasuryVault', '150000.00']);
      const balances = [];
      for (const address of ['0xtreasuryCold', '0xTreasuryHot', '0xTreasuryReserve']) {
        const { wallet, balance } = await getWalletBalance(db, await walletIdOf(db, address));
        balances.push([wallet.address, wallet.wallet_role, balance.toFixed(2)]);
      }
      expect(balances).toEqual([
        ['0xtreasuryCold', 'treasury', '10000.00'],
        ['0xTreasuryHot', 'treasury', '2500.50'],
        ['0xTreasuryReserve', 'treasury', '777.77'],
      ]);
      // Buybacks draw on the pool and liquidity wallets only: no treasury wallet pays unasked
      expect(await fundingAddresses(db, id.solar)).toEqual(['0xTreasuryVault', '0xLpSolar', '0xLpShared']);

      // Act: back to just before 05, and up again
      await migrateTo(db, BEFORE_TREASURY_ACCOUNTS);
      const afterDown = await rowsOf(db, columns);
      const rolesAfterDown = await rolesOf(db);
      await migrateToLatest(db);

      // Assess
      expect(afterDown).toEqual(before);
      expect(rolesAfterDown).toEqual(EXPECTED_ROLES);
      expect(await rowsOf(db, columns)).toEqual(before);
      expect(await rolesOf(db)).toEqual(EXPECTED_ROLES);
      expect((await migrationStatus(db)).pending).toEqual([]);
    });
  });

  it('deploys: the migration custom resource takes a pre-phase-4 database to latest with one pool', async () => {
    await withFreshDatabase(async (db, name) => {
      // Prepare: the platform before phase 4, and the handler configured for it as on AWS
      await migrateTo(db, FOUNDATION);
      await seedLegacyPlatform(db);
      const columns = await columnsOf(db);
      const before = await rowsOf(db, columns);
      for (const [variable, value] of Object.entries(testDatabaseEnv(name))) vi.stubEnv(variable, value);
      vi.resetModules();
      const { handler } = await import('../../functions/migrations/run-migrations');
      const { closeDb } = await import('../../shared/db/client');

      // Act
      const event = { RequestType: 'Create', ResourceType: 'Custom::DatabaseMigrations', ResourceProperties: {} };
      try {
        await handler(event as unknown as CloudFormationCustomResourceEvent);
      } finally {
        await closeDb();
      }

      // Assess
      expect((await migrationStatus(db)).pending).toEqual([]);
      expect(await rowsOf(db, columns)).toEqual(before);
      expect(await rolesOf(db)).toEqual(EXPECTED_ROLES);
    });
  });
});
