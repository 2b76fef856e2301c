import type { ArrayValue, ExecuteStatementCommandInput, Field, RDSData, SqlParameter } from '@aws-sdk/client-rds-data';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';

// kysely-data-api 2.0.0's driver (MIT, serverless-stack/kysely-data-api), its Postgres half
// only: the package's one entry point also brings its MySQL adapter and introspector into every
// bundle. Behaviour unchanged; data-api-dialect.ts wraps it as before.

export interface DataApiDriverConfig {
  client: RDSData;
  secretArn: string;
  resourceArn: string;
  database: string;
}

export class DataApiDriver implements Driver {
  constructor(private readonly config: DataApiDriverConfig) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new DataApiConnection(this.config);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DataApiConnection).beginTransaction();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DataApiConnection).commitTransaction();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DataApiConnection).rollbackTransaction();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

class DataApiConnection implements DatabaseConnection {
  #transactionId: string | undefined;

  constructor(private readonly config: DataApiDriverConfig) {}

  async beginTransaction(): Promise<void> {
    const { secretArn, resourceArn, database } = this.config;
    const answer = await this.config.client.beginTransaction({ secretArn, resourceArn, database });
    this.#transactionId = answer.transactionId;
  }

  async commitTransaction(): Promise<void> {
    if (!this.#transactionId) throw new Error('Cannot commit a transaction before creating it');
    const { secretArn, resourceArn } = this.config;
    await this.config.client.commitTransaction({ secretArn, resourceArn, transactionId: this.#transactionId });
  }

  async rollbackTransaction(): Promise<void> {
    if (!this.#transactionId) throw new Error('Cannot rollback a transaction before creating it');
    const { secretArn, resourceArn } = this.config;
    await this.config.client.rollbackTransaction({ secretArn, resourceArn, transactionId: this.#transactionId });
  }

  async executeQuery<O>(compiledQuery: CompiledQuery): Promise<QueryResult<O>> {
    const input: ExecuteStatementCommandInput = {
      transactionId: this.#transactionId,
      secretArn: this.config.secretArn,
      resourceArn: this.config.resourceArn,
      sql: compiledQuery.sql,
      parameters: compiledQuery.parameters as SqlParameter[],
      database: this.config.database,
      includeResultMetadata: true,
    };
    const answer = await this.config.client.executeStatement(input);
    const columns = answer.columnMetadata;
    if (!columns) {
      const numAffectedRows = BigInt(answer.numberOfRecordsUpdated || 0);
      const generated = answer.generatedFields ?? [];
      return {
        numAffectedRows,
        numUpdatedOrDeletedRows: numAffectedRows,
        insertId: generated.length > 0 ? BigInt(generated[0]!.longValue!) : undefined,
        rows: [],
      } as QueryResult<O>;
    }
    const rows = (answer.records ?? [])
      .filter((record) => record.length !== 0)
      .map((record) => Object.fromEntries(record.map((field, i) => [columns[i]!.label || columns[i]!.name, valueOf(field, columns[i]!.typeName)])));
    return { rows: rows as O[] };
  }

  async *streamQuery<O>(): AsyncIterableIterator<QueryResult<O>> {
    throw new Error('Data API does not support streaming');
  }
}

function valueOf(field: Field, typeName: string | undefined): unknown {
  const value = field.isNull
    ? null
    : (field.stringValue ?? field.doubleValue ?? field.longValue ?? field.booleanValue ?? arrayOf(field.arrayValue) ?? field.blobValue ?? null);
  if (typeof value !== 'string' || !typeName) return value;
  const type = typeName.toLocaleLowerCase();
  if (type === 'timestamp' || type === 'date') return new Date(value);
  if (type === 'timestamptz') return new Date(`${value}Z`);
  if (type === 'json' || type === 'jsonb') return JSON.parse(value);
  return value;
}

function arrayOf(arrayValue: ArrayValue | null | undefined): unknown[] | undefined {
  if (!arrayValue) return undefined;
  return arrayValue.stringValues ?? arrayValue.doubleValues ?? arrayValue.longValues ?? arrayValue.booleanValues ?? arrayValue.arrayValues?.map(arrayOf);
}
