import { join } from 'node:path';
import type { CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import { handler as runMigrations } from '../functions/migrations/run-migrations';
import { ConfigError } from '../shared/config';
import { getDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { runInInvocation } from '../shared/lambda/invocation';
import { type DataApiEmulator, startDataApiEmulator } from './data-api/server';
import { lambdaContext } from './lambda-context';
import { startPostgres } from './postgres';

const DATABASE = 'tokenstocks';
const REGION = 'us-east-1';
/** Any well-formed ARNs do: the emulator, like the Data API, only requires them. */
const CLUSTER_ARN = `arn:aws:rds:${REGION}:000000000000:cluster:tokenstocks-local`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:000000000000:secret:tokenstocks-local-AbCdEf`;
/** The migration custom resource's Lambda timeout (infra/constructs/database-migrations.ts). */
const MIGRATIONS_TIMEOUT_SECONDS = 600;

export const LOCAL_DATABASE_MODES = ['pg', 'data-api'] as const;
export type LocalDatabaseMode = (typeof LOCAL_DATABASE_MODES)[number];

/** LOCAL_DATABASE: `pg` (the default) or `data-api`; anything else is refused with the choices. */
export function localDatabaseMode(value = process.env.LOCAL_DATABASE): LocalDatabaseMode {
  if (value === undefined || value === '') return 'pg';
  if ((LOCAL_DATABASE_MODES as readonly string[]).includes(value)) return value as LocalDatabaseMode;
  throw new ConfigError(`LOCAL_DATABASE must be ${LOCAL_DATABASE_MODES.map((mode) => `"${mode}"`).join(' or ')} (default "pg"), not "${value}"`);
}

export interface LocalDatabase {
  /** Lines for the console: where the database is and what was migrated. */
  summary: string[];
  stop(): Promise<void>;
}

const seconds = (name: string): number | undefined => {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new ConfigError(`${name} must be a number of seconds, not "${value}"`);
  return parsed * 1000;
};

/** Applies migrations the way the deploy does: the custom resource's handler, through the Data API. */
async function migrateLikeTheDeploy(): Promise<string> {
  const event = {
    RequestType: 'Create',
    ServiceToken: 'local',
    ResponseURL: 'http://localhost/unused',
    StackId: 'local',
    RequestId: 'local',
    LogicalResourceId: 'DatabaseMigrations',
    ResourceType: 'Custom::DatabaseMigrations',
    ResourceProperties: { ServiceToken: 'local' },
  } satisfies CloudFormationCustomResourceCreateEvent;
  const context = lambdaContext({ functionName: 'local-run-migrations', timeoutSeconds: MIGRATIONS_TIMEOUT_SECONDS });
  const result = await runInInvocation(context, () => runMigrations(event));
  return result.Data?.Applied ?? 'none';
}

/**
 * The local stack's database: a real PostgreSQL under DATA_DIR, reached by every handler with
 * `pg` (mode `pg`), or, in mode `data-api`, through the RDS Data API emulator in front of it,
 * with exactly Lambda's configuration (DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME and
 * AWS_ENDPOINT_URL_RDS_DATA), so every call takes the production client path. Migrations are
 * applied before it returns.
 */
export async function startLocalDatabase(options: { mode: LocalDatabaseMode; dataDir: string; pgPort: number; dataApiPort: number }): Promise<LocalDatabase> {
  // Out of the terminal's reach: on Ctrl-C the stack closes its connections, then stops Postgres.
  const postgres = await startPostgres({ dataDir: join(options.dataDir, 'postgres'), port: options.pgPort, ownProcessGroup: true });
  let emulator: DataApiEmulator | undefined;
  try {
    await postgres.createDatabase(DATABASE);
    if (options.mode === 'pg') {
      process.env.DATABASE_URL = postgres.urlFor(DATABASE);
      const applied = await migrateToLatest(getDb());
      return {
        summary: [`postgres  ${postgres.urlFor(DATABASE)} (migrations applied: ${applied.length === 0 ? 'none pending' : applied.join(', ')})`],
        stop: () => postgres.stop(),
      };
    }

    emulator = await startDataApiEmulator({
      postgresUrl: postgres.urlFor(DATABASE),
      port: options.dataApiPort,
      autoPauseAfterMs: seconds('DATA_API_AUTO_PAUSE_SECONDS'),
      resumeMs: seconds('DATA_API_RESUME_SECONDS'),
    });
    Object.assign(process.env, {
      DB_CLUSTER_ARN: CLUSTER_ARN,
      DB_SECRET_ARN: SECRET_ARN,
      DB_NAME: DATABASE,
      // The SDK v3 takes a service's endpoint from AWS_ENDPOINT_URL_<SERVICE ID>; it signs with
      // any credentials, and the emulator checks none.
      AWS_ENDPOINT_URL_RDS_DATA: emulator.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    delete process.env.DATABASE_URL;
    const applied = await migrateLikeTheDeploy();
    const pause = process.env.DATA_API_AUTO_PAUSE_SECONDS ? `, auto-pause after ${process.env.DATA_API_AUTO_PAUSE_SECONDS} s idle` : '';
    return {
      summary: [
        `postgres  ${postgres.urlFor(DATABASE)}`,
        `data-api  ${emulator.endpoint} (RDS Data API emulator, database ${DATABASE}${pause}; migrations applied by the custom resource: ${applied})`,
      ],
      stop: async () => {
        await emulator?.close();
        await postgres.stop();
      },
    };
  } catch (error) {
    await emulator?.close();
    await postgres.stop();
    throw error;
  }
}
