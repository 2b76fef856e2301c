import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  TransactionSettings,
} from 'kysely';

/** A statement or two run in a transaction just before it commits; throwing rolls it back. */
export type BeforeCommit = (connection: DatabaseConnection) => Promise<void>;

// Per async flow rather than per process (as shared/lambda/invocation.ts): the local stack and
// the tests run many invocations at once in one process.
const current = new AsyncLocalStorage<BeforeCommit>();

/**
 * Runs `work` so that every transaction it commits runs `hook` first, in that transaction: what
 * the hook writes commits with the transaction's change or not at all. Kysely has no commit
 * hooks (kysely-org/kysely#396); its driver, where every commit is sent, runs this one.
 *
 * @example
 * await beforeEachCommit((connection) => connection.executeQuery(mark), () => createProject(db, admin, body));
 */
export function beforeEachCommit<T>(hook: BeforeCommit, work: () => Promise<T>): Promise<T> {
  return current.run(hook, work);
}

/** A dialect whose transactions run the current flow's BeforeCommit, if it has one, as they commit. */
export class BeforeCommitDialect implements Dialect {
  constructor(private readonly dialect: Dialect) {}

  createAdapter(): DialectAdapter {
    return this.dialect.createAdapter();
  }

  createDriver(): Driver {
    return new BeforeCommitDriver(this.dialect.createDriver());
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.dialect.createIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return this.dialect.createQueryCompiler();
  }
}

class BeforeCommitDriver implements Driver {
  constructor(private readonly driver: Driver) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.driver.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.driver.beginTransaction(connection, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // Kysely rolls the transaction back when this throws.
    await current.getStore()?.(connection);
    await this.driver.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}
