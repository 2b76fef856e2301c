import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { BuildOptions } from 'esbuild';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bundleHandlers } from '../../infra/handler-bundles';
import { LAMBDA_ESBUILD_OPTIONS, MIGRATIONS_ESBUILD_OPTIONS } from '../../infra/lambda-bundling';
import { REPO_ROOT } from '../../infra/paths';
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

const bundles = join(REPO_ROOT, '.local', `test-migration-bundles-${process.pid}`);
afterAll(() => rm(bundles, { recursive: true, force: true }));

// Imports a bundle in a fresh process, as Lambda does, and invokes its handler once (pools left open: it exits).
const INVOKE_ONCE =
  'const { handler } = await import(process.argv[1]); handler(JSON.parse(process.argv[2])).then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0); }, (e) => { process.stderr.write(String(e)); process.exit(1); });';

/** Bundles the migrations function with `options`, then invokes it on a fresh database. */
async function invokeBundle(options: BuildOptions, variant: string) {
  const [bundle] = await bundleHandlers(['functions/migrations/run-migrations.ts'], join(bundles, variant), options);
  const name = await createDatabase({ migrated: false });
  const db = createDb(testDatabaseConfig(name, 1));
  const event = { ...base, RequestType: 'Create' };
  const run = promisify(execFile)(process.execPath, ['--input-type=module', '-e', INVOKE_ONCE, pathToFileURL(bundle!.outfile).href, JSON.stringify(event)], {
    env: { ...process.env, ...testDatabaseEnv(name, 1) },
  });
  return {
    run,
    pending: async () => (await migrationStatus(db)).pending,
    cleanup: async () => {
      await db.destroy();
      await dropDatabase(name);
    },
  };
}

// Infra bundles every other function with stubs of Kysely's schema builders (infra/kysely-stubs.ts).
describe('the migration custom resource as infra bundles it', () => {
  it('migrates to latest, with Kysely whole', async () => {
    const { run, pending, cleanup } = await invokeBundle(MIGRATIONS_ESBUILD_OPTIONS, 'migrations');
    try {
      expect(JSON.parse((await run).stdout)).toMatchObject({ PhysicalResourceId: 'database-migrations' });
      expect(await pending()).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('would fail with a clear error if bundled with the stubs of other functions', async () => {
    const { run, pending, cleanup } = await invokeBundle(LAMBDA_ESBUILD_OPTIONS, 'handlers');
    try {
      await expect(run).rejects.toMatchObject({ stderr: expect.stringMatching(/Kysely's \w+ \(kysely\/[\w/-]+\.js\) is left out of this function's bundle/) });
      expect(await pending()).not.toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
