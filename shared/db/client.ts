import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import type { Pool } from 'pg';
import { type DatabaseConfig, databaseConfig } from '../config';
import { logger } from '../logger';
import { BeforeCommitDialect } from './commit-hooks';
import { PostgresDataApiDialect } from './data-api-dialect';
import { lazyRdsDataClient } from './rds-data-client';
import type { Database } from './schema';

/** A database handle or an open transaction: repositories take either as their first argument. */
export type Db = Kysely<Database>;

/**
 * Builds Kysely over the RDS Data API (on AWS) or over `pg` (locally).
 *
 * The driver libraries are imported on first query, not at module load: a Lambda's cold start
 * then pays only for what the invocation uses. Transactions run the current flow's
 * before-commit hook, if it has one (db/commit-hooks.ts: an Idempotency-Key's mark).
 */
export function createDb(config: DatabaseConfig): Db {
  const connections = new Set<Promise<void>>();
  const db = new Kysely<Database>({ dialect: new BeforeCommitDialect(dialectFor(config, connections)) });
  openConnections.set(db, connections);
  return db;
}

// pg-pool's end() (Kysely's destroy) resolves once it has asked its clients to close, before their
// connections have: a server stopped right after would still terminate them.
const openConnections = new WeakMap<Db, Set<Promise<void>>>();

function dialectFor(config: DatabaseConfig, connections: Set<Promise<void>>): Dialect {
  if (config.driver === 'data-api') {
    return new PostgresDataApiDialect({
      client: lazyRdsDataClient(),
      resourceArn: config.resourceArn,
      secretArn: config.secretArn,
      database: config.database,
    });
  }
  return new PostgresDialect({
    pool: async (): Promise<Pool> => {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: config.connectionString, max: config.poolSize });
      // An idle client whose server goes away (restart, shutdown) emits 'error'; unhandled, that
      // would crash the process. The pool drops the client and the next query reconnects.
      pool.on('error', (error) => logger.warn('Idle database connection lost', { error: error.message }));
      // A checked-out client has no pool listener: when its server connection drops mid-query
      // (terminated backend, failover) the query rejects, and the client's 'error' must not
      // crash the process. The transaction rolls back on the server; the pool discards the client.
      pool.on('connect', (client) => {
        client.on('error', (error) => logger.warn('Database connection lost', { error: error.message }));
        const closed = new Promise<void>((resolve) => client.once('end', resolve));
        connections.add(closed);
        void closed.then(() => connections.delete(closed));
      });
      return pool;
    },
  });
}

let shared: Db | undefined;

/** The process-wide database handle, created from configuration on first use. */
export function getDb(): Db {
  return (shared ??= createDb(databaseConfig()));
}

/** Closes the process-wide handle (local stack shutdown, tests); resolves once its connections have closed. */
export async function closeDb(): Promise<void> {
  const db = shared;
  shared = undefined;
  if (db === undefined) return;
  await db.destroy();
  await Promise.all(openConnections.get(db) ?? []);
}
