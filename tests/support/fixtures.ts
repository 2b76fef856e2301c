import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import type { Api, TestUser } from './api';
import { newUser } from './api';
import { fundedWallet, setNav } from './treasury-fixtures';

/** Row counts of every application table: "nothing was written" means these do not change. */
export async function rowCounts(): Promise<Record<string, number>> {
  // One statement, tables listed and counted in the database: fuzzing counts before and after
  // every request, and each call through the Data API emulator is a round trip.
  const { rows } = await sql<{ tablename: string; n: number }>`
    SELECT tablename, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', tablename), false, true, '')))[1]::text::int AS n
    FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_migration%'
    ORDER BY tablename`.execute(getDb());
  return Object.fromEntries(rows.map(({ tablename, n }) => [tablename, Number(n)]));
}

export async function registerUser(api: Api, admin: TestUser, user: TestUser): Promise<void> {
  const response = await api.post('/api/users', { id: user.id, email: user.email, name: user.name, role: user.role }, { as: admin });
  if (response.status !== 201) throw new Error(`register user: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function createProject(api: Api, admin: TestUser, name = 'Solar Farm'): Promise<string> {
  const response = await api.post('/api/projects', { name }, { as: admin });
  if (response.status !== 201) throw new Error(`create project: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function moveTokens(
  api: Api,
  admin: TestUser,
  projectId: string,
  movement: { kind: 'issue' | 'burn' | 'transfer'; holder_id: string; to_holder_id?: string; amount: string; effective_at?: string },
) {
  return api.post(`/api/projects/${projectId}/lp-tokens`, movement, { as: admin });
}

/** An admin, two LPs registered, and a project. */
export async function seedProjectWithLps(api: Api) {
  const admin = newUser('admin');
  const alice = newUser('lp', 'alice');
  const bob = newUser('lp', 'bob');
  await registerUser(api, admin, alice);
  await registerUser(api, admin, bob);
  const projectId = await createProject(api, admin);
  return { admin, alice, bob, projectId };
}

export const RECORD_DATE = '2026-03-31T00:00:00Z';

export async function createDistribution(
  api: Api,
  admin: TestUser,
  projectId: string,
  overrides: Partial<{ total_amount: string; distribution_date: string; event_type: string; title: string }> = {},
): Promise<string> {
  const response = await api.post(
    '/api/distributions',
    { project_id: projectId, event_type: 'revenue', title: 'Q1 revenue', total_amount: '1000', distribution_date: RECORD_DATE, ...overrides },
    { as: admin },
  );
  if (response.status !== 201) throw new Error(`create distribution: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** Registers holders and issues them tokens before the record date. */
export async function seedHolders(api: Api, admin: TestUser, projectId: string, balances: string[]): Promise<TestUser[]> {
  const holders: TestUser[] = [];
  for (const amount of balances) {
    const holder = newUser('lp');
    await registerUser(api, admin, holder);
    const issued = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount, effective_at: '2026-01-01T00:00:00Z' });
    if (issued.status !== 201) throw new Error(`issue tokens: ${issued.status} ${JSON.stringify(issued.body)}`);
    holders.push(holder);
  }
  return holders;
}

/** Every allocation of an event, following the cursor. */
export async function allAllocations(api: Api, as: TestUser, eventId: string) {
  const items: Array<Record<string, string>> = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '?limit=500' : `?limit=500&cursor=${cursor}`;
    const page = await api.get(`/api/distributions/${eventId}/allocations${query}`, { as });
    if (page.status !== 200) throw new Error(`allocations: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return items;
}

/** A project whose one LP holds `tokens` at NAV `nav`, and a treasury pool holding `pool` NGNTS: ready for a redemption. */
export async function redeemableHolding(api: Api, { tokens = '100', nav = '2', pool = '1000.00' } = {}) {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [lp] = (await seedHolders(api, admin, projectId, [tokens])) as [TestUser];
  await setNav(projectId, nav);
  const poolAddress = await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: pool });
  return { admin, lp, projectId, pool: poolAddress };
}

/**
 * Makes the database refuse every allocation row with an overflow (SQLSTATE 22003), however
 * often it is retried: a permanent error. Returns what removes the fault.
 */
export async function refuseAllocationRows(): Promise<() => Promise<void>> {
  const db = getDb();
  await sql`CREATE FUNCTION fault_overflow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'numeric field overflow' USING ERRCODE = '22003';
    END $$`.execute(db);
  await sql`CREATE TRIGGER fault_overflow BEFORE INSERT ON distribution_allocations FOR EACH ROW EXECUTE FUNCTION fault_overflow()`.execute(db);
  return async () => {
    await sql`DROP TRIGGER fault_overflow ON distribution_allocations`.execute(db);
    await sql`DROP FUNCTION fault_overflow()`.execute(db);
  };
}
