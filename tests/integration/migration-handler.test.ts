import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../shared/db/client';
import { migrationStatus } from '../../shared/db/migrator';
import { createDatabase, dropDatabase, testDatabaseConfig, testDatabaseEnv } from '../support/databases';

const base = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/data/1',
  RequestId: 'r1',
  LogicalResourceId: 'Migrations',
  ResourceType: 'Custom::DatabaseMigrations',
  ResourceProperties: { ServiceToken: 'x', MigrationsHash: 'abc' },
};

/** The handler reads its database from configuration, like on AWS; each case gets a fresh one. */
async function handlerOnFreshDatabase() {
  const name = await createDatabase({ migrated: false });
  for (const [variable, value] of Object.entries(testDatabaseEnv(name))) vi.stubEnv(variable, value);
  vi.resetModules();
  const { handler } = await import('../../functions/migrations/run-migrations');
  const { closeDb } = await import('../../shared/db/client');
  const db = createDb(testDatabaseConfig(name, 1));
  return {
    handler,
    db,
    cleanup: async () => {
      await closeDb();
      await db.destroy();
      await dropDatabase(name);
    },
  };
}

describe('the migration custom resource', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(['Create', 'Update'] as const)('%s migrates to latest', async (requestType) => {
    const { handler, db, cleanup } = await handlerOnFreshDatabase();
    try {
      const event = { ...base, RequestType: requestType, PhysicalResourceId: 'database-migrations', OldResourceProperties: {} };
      const result = await handler(event as CloudFormationCustomResourceEvent);
      expect(result.PhysicalResourceId).toBe('database-migrations');
      expect((await migrationStatus(db)).pending).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('does nothing on Delete', async () => {
    const { handler, db, cleanup } = await handlerOnFreshDatabase();
    try {
      const event = { ...base, RequestType: 'Delete', PhysicalResourceId: 'database-migrations' };
      const result = await handler(event as CloudFormationCustomResourceEvent);
      expect(result.PhysicalResourceId).toBe('database-migrations');
      expect((await migrationStatus(db)).current).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it("fails the deployment with the failing migration's error", async () => {
    const { handler, db, cleanup } = await handlerOnFreshDatabase();
    try {
      await sql`CREATE TABLE users (id int)`.execute(db);
      const event = { ...base, RequestType: 'Create' };
      await expect(handler(event as CloudFormationCustomResourceEvent)).rejects.toThrow(
        /migration 2026-11-21-01-foundation failed: .*users.* already exists/,
      );
      expect((await migrationStatus(db)).current).toBeNull();
    } finally {
      await cleanup();
    }
  });
});
