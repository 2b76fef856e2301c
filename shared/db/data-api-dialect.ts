import {
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import { logger } from '../logger';
import { DataApiDriver, type DataApiDriverConfig } from './data-api-driver';
import { PostgresDataApiQueryCompiler } from './data-api-query-compiler';

/**
 * Kysely over the RDS Data API for Postgres: kysely-data-api's driver and query compiler
 * (data-api-driver.ts says why they are copied here) with Kysely's own Postgres adapter and
 * introspector, and rollbacks that never hide why a transaction failed.
 *
 * Kysely's transaction() rolls back when BEGIN, the callback or COMMIT throws, then rethrows,
 * unless the rollback throws too, whose error then replaces the original. Over the Data API:
 * - when BeginTransaction failed there is nothing to roll back (kysely-data-api would throw
 *   "Cannot rollback a transaction before creating it"), so no rollback is sent;
 * - a rollback that fails (the cluster resuming past the invocation's budget, the network) is
 *   logged and the original error kept: a transaction never committed can only end rolled back,
 *   by the service after three idle minutes at the latest.
 * (A rollback answered TransactionNotFoundException already counts as done: rds-data-client.ts.)
 */
export class PostgresDataApiDialect implements Dialect {
  constructor(private readonly config: DataApiDriverConfig) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new OriginalErrorDriver(new DataApiDriver(this.config));
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresDataApiQueryCompiler();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class OriginalErrorDriver implements Driver {
  /** Connections whose BeginTransaction succeeded. */
  readonly #begun = new WeakSet<DatabaseConnection>();

  constructor(private readonly driver: Driver) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.driver.acquireConnection();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.driver.beginTransaction(connection, settings);
    this.#begun.add(connection);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#begun.delete(connection)) return;
    try {
      await this.driver.rollbackTransaction(connection);
    } catch (error) {
      logger.warn('Rollback failed; the service rolls the transaction back when it expires', { error: (error as Error).message });
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}
