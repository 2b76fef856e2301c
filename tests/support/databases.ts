import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../shared/config';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Any syntactically valid ARNs: the emulator, like the Data API, only requires them. */
const EMULATED_CLUSTER_ARN = 'arn:aws:rds:us-east-1:000000000000:cluster:local-emulator';
const EMULATED_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:local-emulator-AbCdEf';

/**
 * How application code reaches the named test database: through the RDS Data API emulator in
 * the integration-data-api project, through `pg` otherwise.
 */
export function testDatabaseConfig(name: string, poolSize = 2): DatabaseConfig {
  return inject('dataApiEndpoint') === undefined
    ? { driver: 'pg', connectionString: databaseUrl(name), poolSize }
    : { driver: 'data-api', resourceArn: EMULATED_CLUSTER_ARN, secretArn: EMULATED_SECRET_ARN, database: name };
}

/** The environment shared/config.ts reads to reach the named test database the same way. */
export function testDatabaseEnv(name: string, poolSize = 20): Record<string, string> {
  const endpoint = inject('dataApiEndpoint');
  if (endpoint === undefined) return { DATABASE_URL: databaseUrl(name), DATABASE_POOL_SIZE: String(poolSize) };
  return {
    DB_CLUSTER_ARN: EMULATED_CLUSTER_ARN,
    DB_SECRET_ARN: EMULATED_SECRET_ARN,
    DB_NAME: name,
    // The SDK v3 takes a service's endpoint from AWS_ENDPOINT_URL_<SERVICE ID>.
    AWS_ENDPOINT_URL_RDS_DATA: endpoint,
  };
}

/** Creates a database on the test server: empty, or a copy of the migrated template. */
export async function createDatabase({ migrated }: { migrated: boolean }): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? ` TEMPLATE "${inject('templateDatabase')}"` : '';
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"${template}`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
