import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DATA_API_LIMITS } from '../../shared/db/data-api-limits';
import { DataApiError, fromPostgresError } from './errors';
import type { PostgresType } from './records';

/** Enough for the concurrency tests and the local stack, well under Postgres's default 100. */
const CONNECTIONS_PER_DATABASE = 10;

/** Every value arrives as Postgres's text output; records.ts decides how the Data API shows it. */
const RAW_TEXT = { getTypeParser: () => (text: string) => text };

/** Resolves when the last statement sent on the client has finished, even one that timed out. */
const inFlight = new WeakMap<pg.PoolClient, Promise<unknown>>();

export function trackInFlight(client: pg.PoolClient, query: Promise<unknown>): void {
  inFlight.set(client, query.catch(() => undefined));
}

/**
 * Connection pools to the Postgres server, one per database the calls name (the Data API's
 * `database` parameter), with sessions in UTC like Aurora's default.
 */
export class Databases {
  readonly #pools = new Map<string, pg.Pool>();
  readonly #types = new Map<string, PostgresType>();

  constructor(private readonly postgresUrl: string) {}

  async checkout(database: string): Promise<pg.PoolClient> {
    try {
      return await this.#pool(database).connect();
    } catch (error) {
      throw fromPostgresError(error);
    }
  }

  /** Returns the client to its pool once whatever it is still running has finished. */
  release(client: pg.PoolClient, broken = false): void {
    void (inFlight.get(client) ?? Promise.resolve()).then(() => client.release(broken));
  }

  async cancel(database: string, processId: number): Promise<void> {
    await this.#pool(database).query('SELECT pg_cancel_backend($1)', [processId]);
  }

  /** Name, category and element type of each type OID, looked up once per database. */
  async typesOf(client: pg.PoolClient, database: string, oids: number[]): Promise<Map<number, PostgresType>> {
    const key = (oid: number) => `${database}/${oid}`;
    const missing = [...new Set(oids)].filter((oid) => !this.#types.has(key(oid)));
    if (missing.length > 0) {
      const { rows } = await client.query<{ oid: string; name: string; category: string; element_name: string | null }>(
        `SELECT t.oid, t.typname AS name, t.typcategory AS category, e.typname AS element_name
         FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
         WHERE t.oid = ANY($1::oid[])`,
        [missing],
      );
      for (const row of rows) {
        this.#types.set(key(Number(row.oid)), { name: row.name, category: row.category, elementName: row.element_name });
      }
    }
    return new Map(oids.map((oid) => [oid, this.#types.get(key(oid)) ?? { name: 'unknown', category: 'X', elementName: null }]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.end()));
    this.#pools.clear();
  }

  #pool(database: string): pg.Pool {
    let pool = this.#pools.get(database);
    if (pool === undefined) {
      const url = new URL(this.postgresUrl);
      url.pathname = `/${encodeURIComponent(database)}`;
      pool = new pg.Pool({
        connectionString: url.toString(),
        max: CONNECTIONS_PER_DATABASE,
        idleTimeoutMillis: 5_000,
        types: RAW_TEXT,
        options: '-c TimeZone=UTC -c DateStyle=ISO',
      });
      // A connection whose database is dropped (tests do) or whose server stops errors: an idle
      // one is discarded by the pool, one in use fails its next statement; neither may crash us.
      pool.on('error', () => {});
      pool.on('connect', (client) => client.on('error', () => {}));
      this.#pools.set(database, pool);
    }
    return pool;
  }
}

interface OpenTransaction {
  database: string;
  client: pg.PoolClient;
  busy: boolean;
  expiry: NodeJS.Timeout;
}

/** Why an id is no longer open: the causes AWS appends to "Transaction <id> isn't found" (Troubleshooting). */
const ENDED_BECAUSE = {
  ended: 'One previous call resulted in a termination of your transaction',
  aborted: 'Transaction has been aborted due to an error from a previous call',
  expired: 'Transaction may be expired',
} as const;
type EndedBecause = keyof typeof ENDED_BECAUSE;

/** Ended ids remembered to say why they are unknown; older ones read as expired, as on AWS. */
const ENDED_REMEMBERED = 10_000;

/**
 * Transactions by id: BeginTransaction binds one connection to a new id until Commit or
 * Rollback. As on the Data API, a call that fails inside a transaction aborts it (rolled back,
 * its id unknown from then on, RollbackTransaction included), a transaction unused for three
 * minutes is rolled back, and a call made while the transaction is still running another one is
 * refused.
 */
export class Transactions {
  readonly #open = new Map<string, OpenTransaction>();
  readonly #ended = new Map<string, EndedBecause>();

  constructor(
    private readonly databases: Databases,
    private readonly idleTimeoutMs: number = DATA_API_LIMITS.transactionIdleMs,
  ) {}

  /** How many transactions are open: an Aurora instance with open sessions never auto-pauses. */
  get openCount(): number {
    return this.#open.size;
  }

  async begin(database: string): Promise<string> {
    const client = await this.databases.checkout(database);
    try {
      await client.query('BEGIN');
    } catch (error) {
      this.databases.release(client, true);
      throw fromPostgresError(error);
    }
    const id = randomBytes(24).toString('base64');
    this.#open.set(id, { database, client, busy: false, expiry: this.#expiry(id) });
    return id;
  }

  /** Runs `work` on the transaction's connection; if it fails, the transaction is aborted. */
  async use<T>(id: string, work: (client: pg.PoolClient, database: string) => Promise<T>): Promise<T> {
    const transaction = this.#find(id);
    if (transaction.busy) throw new DataApiError('DatabaseErrorException', 'Transaction is still running a query');
    transaction.busy = true;
    clearTimeout(transaction.expiry);
    try {
      return await work(transaction.client, transaction.database);
    } catch (error) {
      // Not awaited: the answer is the statement's error, and the id is already gone.
      void this.#end(id, transaction, 'ROLLBACK', 'aborted').catch(() => undefined);
      throw error;
    } finally {
      transaction.busy = false;
      if (this.#open.get(id) === transaction) transaction.expiry = this.#expiry(id);
    }
  }

  async commit(id: string): Promise<void> {
    const { command } = await this.#endByCall(id, 'COMMIT');
    // Postgres answers COMMIT of a failed transaction with ROLLBACK; the Data API's JDBC driver raises it.
    if (command === 'ROLLBACK') {
      throw new DataApiError('DatabaseErrorException', 'The database returned ROLLBACK, so the transaction cannot be committed');
    }
  }

  async rollback(id: string): Promise<void> {
    await this.#endByCall(id, 'ROLLBACK');
  }

  /** Rolls back every open transaction (shutdown, or the cluster pausing); their ids read as expired. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map(([id, transaction]) => this.#end(id, transaction, 'ROLLBACK', 'expired').catch(() => undefined)));
  }

  #find(id: string): OpenTransaction {
    const transaction = this.#open.get(id);
    if (transaction === undefined) {
      throw new DataApiError('TransactionNotFoundException', `Transaction ${id} isn't found. ${ENDED_BECAUSE[this.#ended.get(id) ?? 'expired']}`);
    }
    return transaction;
  }

  async #endByCall(id: string, command: 'COMMIT' | 'ROLLBACK'): Promise<pg.QueryResult> {
    const transaction = this.#find(id);
    if (transaction.busy) throw new DataApiError('DatabaseErrorException', 'Transaction is still running a query');
    return this.#end(id, transaction, command, 'ended');
  }

  async #end(id: string, transaction: OpenTransaction, command: 'COMMIT' | 'ROLLBACK', because: EndedBecause): Promise<pg.QueryResult> {
    this.#open.delete(id);
    clearTimeout(transaction.expiry);
    this.#remember(id, because);
    try {
      return await transaction.client.query(command);
    } catch (error) {
      throw fromPostgresError(error);
    } finally {
      this.databases.release(transaction.client);
    }
  }

  #remember(id: string, because: EndedBecause): void {
    this.#ended.set(id, because);
    if (this.#ended.size > ENDED_REMEMBERED) this.#ended.delete(this.#ended.keys().next().value as string);
  }

  #expiry(id: string): NodeJS.Timeout {
    return setTimeout(() => {
      const transaction = this.#open.get(id);
      if (transaction !== undefined) void this.#end(id, transaction, 'ROLLBACK', 'expired').catch(() => undefined);
    }, this.idleTimeoutMs).unref();
  }
}
