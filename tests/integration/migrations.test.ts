import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import expectedSchema from '../../shared/setup/expected-schema.json';
import { migrations } from '../../migrations';
import { createDb, type Db } from '../../shared/db/client';
import { migrateDown, migrateTo, migrateToLatest, migrationStatus } from '../../shared/db/migrator';
import { readSchemaCatalog } from '../../shared/setup/catalog.repository';
import { createDatabase, dropDatabase, testDatabaseConfig } from '../support/databases';

const [FOUNDATION] = Object.keys(migrations) as [string];

const ids = {
  admin: '00000000-0000-4000-8000-000000000001',
  lp: '00000000-0000-4000-8000-000000000002',
  project: '00000000-0000-4000-8000-0000000000a1',
};

async function seedFoundationData(db: Db) {
  await sql`INSERT INTO users (id, email, role) VALUES (${ids.admin}::uuid, 'admin@example.com', 'admin'),
    (${ids.lp}::uuid, 'lp@example.com', 'lp')`.execute(db);
  await sql`INSERT INTO projects (id, name, created_by) VALUES (${ids.project}::uuid, 'Solar', ${ids.admin}::uuid)`.execute(db);
  await sql`INSERT INTO platform_wallets (address, wallet_type) VALUES ('0xlp', 'lp'), ('0xadmin', 'admin'),
    ('0xtreasury', 'treasury')`.execute(db);
  await sql`INSERT INTO lp_token_movements (project_id, kind, to_holder_id, amount, effective_at, recorded_by)
    VALUES (${ids.project}::uuid, 'issue', ${ids.lp}::uuid, 1234.5, now(), ${ids.admin}::uuid)`.execute(db);
  await sql`INSERT INTO lp_allocations (project_id, lp_token_holder_id, lp_tokens_allocated)
    VALUES (${ids.project}::uuid, ${ids.lp}::uuid, 1234.5)`.execute(db);
}

/** The balances table is `lp_allocations` until 2026-11-29-19 renames it `lp_token_balances`. */
async function snapshotFoundationData(db: Db, balances: 'lp_allocations' | 'lp_token_balances') {
  const read = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
  return {
    users: await read(sql`SELECT id, email, role FROM users ORDER BY id`),
    projects: await read(sql`SELECT id, name, status FROM projects ORDER BY id`),
    wallets: await read(sql`SELECT address, wallet_type FROM platform_wallets ORDER BY address`),
    movements: await read(sql`SELECT kind, to_holder_id, amount::text FROM lp_token_movements`),
    holdings: await read(sql`SELECT lp_token_holder_id, lp_tokens_allocated::text FROM ${sql.table(balances)}`),
  };
}

describe('migrations', () => {
  let name: string;
  let db: Db;

  beforeAll(async () => {
    name = await createDatabase({ migrated: false });
    db = createDb(testDatabaseConfig(name));
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(name);
  });

  it('go up, down and up again without losing users, projects, wallets or holdings', async () => {
    // Prepare: the platform as it stood before phases 4 and 4.1
    await migrateTo(db, FOUNDATION);
    await seedFoundationData(db);
    const before = await snapshotFoundationData(db, 'lp_allocations');

    // Act
    await migrateToLatest(db);
    const roles = await sql<{ address: string; wallet_role: string }>`
      SELECT address, wallet_role FROM platform_wallets ORDER BY address`.execute(db);
    await migrateTo(db, FOUNDATION);
    const afterDown = await snapshotFoundationData(db, 'lp_allocations');
    await migrateToLatest(db);

    // Assess
    expect(roles.rows).toEqual([
      { address: '0xadmin', wallet_role: 'operations' },
      { address: '0xlp', wallet_role: 'liquidity_pool' },
      { address: '0xtreasury', wallet_role: 'treasury_pool' },
    ]);
    expect(afterDown).toEqual(before);
    expect(await snapshotFoundationData(db, 'lp_token_balances')).toEqual(before);
    expect((await migrationStatus(db)).pending).toEqual([]);
  });

  it.each(Object.keys(migrations))('%s: down removes exactly what up added', async (name) => {
    // Prepare: the schema just before this migration
    const names = Object.keys(migrations);
    const previous = names[names.indexOf(name) - 1];
    await migrateToLatest(db);
    if (previous === undefined) while ((await migrateDown(db)).length > 0);
    else await migrateTo(db, previous);
    const before = await readSchemaCatalog(db);

    // Act
    await migrateTo(db, name);
    const after = await readSchemaCatalog(db);
    await migrateDown(db);

    // Assess: up changed something, and down restored the catalog exactly
    expect(after).not.toEqual(before);
    expect(await readSchemaCatalog(db)).toEqual(before);
    await migrateToLatest(db);
  });

  it('2026-11-29-09 goes down with users who have no e-mail, giving each one that reaches no one', async () => {
    // Prepare
    const names = Object.keys(migrations);
    const before09 = names[names.indexOf('2026-11-29-09-verified-user-emails') - 1] as string;
    await migrateToLatest(db);
    const id = '00000000-0000-4000-8000-000000000009';
    await sql`INSERT INTO users (id, email, role) VALUES (${id}::uuid, NULL, 'lp')`.execute(db);

    // Act
    await migrateTo(db, before09);
    const { rows } = await sql`SELECT id, email FROM users WHERE id = ${id}::uuid`.execute(db);
    await sql`DELETE FROM users WHERE id = ${id}::uuid`.execute(db);
    await migrateToLatest(db);

    // Assess
    expect(rows).toEqual([{ id, email: `${id}@no-email.invalid` }]);
  });

  it('2026-11-29-18 goes down with an expired proposal pending again, and up with pending ones given a week', async () => {
    // Prepare
    const names = Object.keys(migrations);
    const before18 = names[names.indexOf('2026-11-29-18-proposal-expiry') - 1] as string;
    await migrateToLatest(db);
    const id = '00000000-0000-4000-8000-000000000018';
    await sql`INSERT INTO users (id, email, role) VALUES (${id}::uuid, 'proposer@example.com', 'admin')`.execute(db);
    await sql`INSERT INTO dual_control_proposals (id, action, request, status, proposed_by, decided_at, created_at, expires_at)
      VALUES (${id}::uuid, 'treasury.inflow', '{}', 'expired', ${id}::uuid, now(), '2026-01-01T00:00:00Z', '2026-01-08T00:00:00Z')`.execute(db);

    // Act
    await migrateTo(db, before18);
    const down = await sql`SELECT status, decided_at FROM dual_control_proposals WHERE id = ${id}::uuid`.execute(db);
    await migrateToLatest(db);
    const up = await sql<{ status: string; expires_at: Date }>`SELECT status, expires_at FROM dual_control_proposals WHERE id = ${id}::uuid`.execute(db);
    await sql`DELETE FROM dual_control_proposals WHERE id = ${id}::uuid`.execute(db);
    await sql`DELETE FROM users WHERE id = ${id}::uuid`.execute(db);

    // Assess
    expect(down.rows).toEqual([{ status: 'pending', decided_at: null }]);
    expect(up.rows).toEqual([{ status: 'pending', expires_at: new Date('2026-01-08T00:00:00Z') }]);
  });

  it('define exactly the schema in expected-schema.json (run `npm run schema:manifest` after adding one)', async () => {
    await migrateToLatest(db);
    expect({ migrations: Object.keys(migrations), ...(await readSchemaCatalog(db)) }).toEqual(expectedSchema);
  });
});
