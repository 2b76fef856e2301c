import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../shared/db/client';
import { migrateDown, migrateTo, migrationStatus } from '../../shared/db/migrator';
import { createDatabase, dropDatabase, testDatabaseConfig } from '../support/databases';

/**
 * Migration 08 gives each quantity one type: what it changes keeps its value on the way up, and
 * on the way down a value the old types cannot hold is refused rather than lost.
 */
const BEFORE = '2026-11-29-07-outbox-and-reconciliation';
const MIGRATION = '2026-11-29-08-one-type-per-quantity';

const ids = {
  admin: '00000000-0000-4000-8000-000000000001',
  lp: '00000000-0000-4000-8000-000000000002',
  project: '00000000-0000-4000-8000-0000000000a1',
  other: '00000000-0000-4000-8000-0000000000a2',
  event: '00000000-0000-4000-8000-0000000000e1',
};

const opened: { name: string; db: Db }[] = [];

afterEach(async () => {
  for (const { name, db } of opened.splice(0)) {
    await db.destroy();
    await dropDatabase(name);
  }
});

/** A database migrated up to just before migration 08, holding a project's ledger, a calculated event and a redemption. */
async function databaseBefore(): Promise<Db> {
  const name = await createDatabase({ migrated: false });
  const db = createDb(testDatabaseConfig(name));
  opened.push({ name, db });
  await migrateTo(db, BEFORE);
  const statements = [
    sql`INSERT INTO users (id, email, role) VALUES (${ids.admin}::uuid, 'admin@example.com', 'admin'), (${ids.lp}::uuid, 'lp@example.com', 'lp')`,
    sql`INSERT INTO projects (id, name, created_by) VALUES (${ids.project}::uuid, 'Solar', ${ids.admin}::uuid), (${ids.other}::uuid, 'Wind', ${ids.admin}::uuid)`,
    sql`INSERT INTO lp_token_movements (project_id, kind, from_holder_id, to_holder_id, amount, effective_at, recorded_by) VALUES
      (${ids.project}::uuid, 'issue', NULL, ${ids.lp}::uuid, 1000.5, '2026-01-01', ${ids.admin}::uuid),
      (${ids.project}::uuid, 'issue', NULL, ${ids.lp}::uuid, 10, '2026-01-02', ${ids.admin}::uuid),
      (${ids.project}::uuid, 'burn', ${ids.lp}::uuid, NULL, 5, '2026-01-03', ${ids.admin}::uuid)`,
    sql`INSERT INTO lp_allocations (project_id, lp_token_holder_id, lp_tokens_allocated) VALUES (${ids.project}::uuid, ${ids.lp}::uuid, 1005.5)`,
    sql`INSERT INTO distribution_events (id, project_id, event_type, title, total_amount, distribution_date, status, snapshot_total_lp_tokens,
        snapshot_nav, total_allocated, created_by)
      VALUES (${ids.event}::uuid, ${ids.project}::uuid, 'revenue', 'Q1', 100, '2026-03-31', 'calculated', 1005.5, 1.2345679, 100, ${ids.admin}::uuid)`,
    sql`INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id, lp_tokens_held, ownership_percentage,
        allocated_amount, available_amount)
      VALUES (${ids.event}::uuid, ${ids.project}::uuid, ${ids.lp}::uuid, 1005.5, 100, 100, 100)`,
    sql`INSERT INTO redemption_requests (user_id, project_id, tokens_amount, nav_snapshot, redemption_value_ngnts)
      VALUES (${ids.lp}::uuid, ${ids.project}::uuid, 12.5, 1.23456789, 15.43)`,
  ];
  for (const statement of statements) await statement.execute(db);
  return db;
}

async function values(db: Db) {
  const { rows } = await sql<Record<string, string>>`SELECT
      (SELECT lp_tokens_held::text FROM distribution_allocations) AS held,
      (SELECT snapshot_total_lp_tokens::text FROM distribution_events) AS snapshot_tokens,
      (SELECT snapshot_nav::text FROM distribution_events) AS snapshot_nav,
      (SELECT tokens_amount::text FROM redemption_requests) AS redeemed`.execute(db);
  return rows[0];
}

async function typeOf(db: Db, table: string, column: string): Promise<string | undefined> {
  const { rows } = await sql<{ type: string }>`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attname = ${column} AND NOT attisdropped`.execute(db);
  return rows[0]?.type;
}

async function issued(db: Db) {
  const { rows } = await sql<{ id: string; issued: string }>`SELECT id::text, lp_tokens_issued::text AS issued FROM projects ORDER BY id`.execute(db);
  return rows;
}

describe('migration 08, one type per quantity', () => {
  it('keeps every value up, down and up again, and counts the tokens each project has issued', async () => {
    // Prepare
    const db = await databaseBefore();
    const before = await values(db);

    // Act
    await migrateTo(db, MIGRATION);
    const up = { values: await values(db), issued: await issued(db), held: await typeOf(db, 'distribution_allocations', 'lp_tokens_held') };
    await migrateDown(db);
    const down = await values(db);
    await migrateTo(db, MIGRATION);

    // Assess: the issues, not the burn, are counted
    expect(up.values).toEqual({ held: '1005.5000000', snapshot_tokens: '1005.5000000', snapshot_nav: '1.23456790', redeemed: '12.5000000' });
    expect(up.issued).toEqual([
      { id: ids.project, issued: '1010.5000000' },
      { id: ids.other, issued: '0.0000000' },
    ]);
    expect(up.held).toBe('numeric(30,7)');
    expect(down).toEqual(before);
    expect(await values(db)).toEqual(up.values);
  });

  it('refuses to round a redemption of eight decimals on the way up, and changes nothing', async () => {
    // Prepare
    const db = await databaseBefore();
    await sql`UPDATE redemption_requests SET tokens_amount = 12.50000001`.execute(db);

    // Act
    const up = migrateTo(db, MIGRATION);

    // Assess
    await expect(up).rejects.toThrow(/redemption_requests\.tokens_amount holds amounts with an eighth decimal/);
    expect((await migrationStatus(db)).current).toBe(BEFORE);
    expect(await typeOf(db, 'redemption_requests', 'tokens_amount')).toBe('numeric(30,8)');
    expect((await values(db))?.redeemed).toBe('12.50000001');
  });

  it.each([
    { column: 'distribution_allocations.lp_tokens_held', change: sql`UPDATE distribution_allocations SET lp_tokens_held = 10000000000000` },
    { column: 'distribution_events.snapshot_total_lp_tokens', change: sql`UPDATE distribution_events SET snapshot_total_lp_tokens = 10000000000000` },
    { column: 'distribution_events.snapshot_nav', change: sql`UPDATE distribution_events SET snapshot_nav = 9999999999999.99999999` },
    { column: 'redemption_requests.tokens_amount', change: sql`UPDATE redemption_requests SET tokens_amount = 10000000000000000000000` },
  ])('refuses to go down while $column holds what the old type cannot, and changes nothing', async ({ column, change }) => {
    // Prepare
    const db = await databaseBefore();
    await migrateTo(db, MIGRATION);
    await change.execute(db);
    const before = await values(db);

    // Act
    const down = migrateDown(db);

    // Assess
    await expect(down).rejects.toThrow(new RegExp(`${column.replace('.', '\\.')} holds`));
    expect((await migrationStatus(db)).current).toBe(MIGRATION);
    expect(await values(db)).toEqual(before);
    expect(await issued(db)).toHaveLength(2);
  });

  it('rounds a NAV snapshot’s eighth decimal on the way down, as the old column did', async () => {
    const db = await databaseBefore();
    await migrateTo(db, MIGRATION);
    await sql`UPDATE distribution_events SET snapshot_nav = 1.23456789`.execute(db);

    await migrateDown(db);

    expect((await values(db))?.snapshot_nav).toBe('1.2345679');
  });
});
