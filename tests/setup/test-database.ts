import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { closeDb, getDb } from '../../shared/db/client';
import { resetProvisionedCallers } from '../../shared/users/provision-caller';
import { createDatabase, dropDatabase, testDatabaseEnv } from '../support/databases';
import { expectRecordedEventsMatchTheirSchemas } from '../support/event-schemas';

// Each test file gets its own copy of the migrated template, so files run in parallel.
const database = await createDatabase({ migrated: true });
Object.assign(process.env, testDatabaseEnv(database));

beforeEach(async () => {
  const db = getDb();
  const { rows } = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_migration%'`.execute(db);
  await sql`TRUNCATE ${sql.join(rows.map((row) => sql.table(row.tablename)))} CASCADE`.execute(db);
  resetProvisionedCallers();
});

// Every domain event any test recorded holds to its type's documented schema (issue 12).
afterEach(async () => {
  await expectRecordedEventsMatchTheirSchemas();
});

afterAll(async () => {
  await closeDb();
  await dropDatabase(database);
});
