import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { closeDb, getDb } from '../../shared/db/client';
import { resetProvisionedCallers } from '../../shared/users/provision-caller';
import { createDatabase, dropDatabase, testDatabaseEnv } from '../support/databases';
import { expectRecordedEventsMatchTheirSchemas } from '../support/event-schemas';

// Each test file gets its own copy of the migrated template, so files run in parallel.
const database = await createDatabase({ migrated: true });
Object.assign(process.env, testDatabaseEnv(database));

/**
 * Empties every application table before each test, in one statement. DELETE, not TRUNCATE: a
 * TRUNCATE gives each table and index new files and invalidates every connection's cache of them,
 * about 100 ms a test on a loaded machine against about 10 ms. The lock waits for any transaction
 * a previous test left open, as TRUNCATE's did; foreign keys and the ledger's append-only guards
 * (triggers) are off for the statement (session_replication_role). A table left with many rows (a
 * test of thousands of holders) is truncated instead, so dead rows do not slow the next test.
 */
const EMPTY_TABLES = sql`DO $$
  DECLARE
    tables text[] := ARRAY(SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_migration%');
    t text;
    has_rows boolean;
    has_many boolean;
  BEGIN
    IF cardinality(tables) = 0 THEN RETURN; END IF;
    EXECUTE 'LOCK TABLE ' || array_to_string(tables, ', ') || ' IN ACCESS EXCLUSIVE MODE';
    PERFORM set_config('session_replication_role', 'replica', true);
    FOREACH t IN ARRAY tables LOOP
      EXECUTE 'SELECT EXISTS (SELECT FROM ' || t || '), EXISTS (SELECT FROM ' || t || ' OFFSET 1000)' INTO has_rows, has_many;
      IF has_many THEN EXECUTE 'TRUNCATE ' || t || ' CASCADE';
      ELSIF has_rows THEN EXECUTE 'DELETE FROM ' || t;
      END IF;
    END LOOP;
  END $$`;

beforeEach(async () => {
  await EMPTY_TABLES.execute(getDb());
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
