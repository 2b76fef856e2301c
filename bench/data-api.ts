import type { LocalPostgres } from '../local/postgres';
import { startDataApiEmulator } from '../local/data-api/server';
import { createDb } from '../shared/db/client';
import { DATA_API_LIMITS } from '../shared/db/data-api-limits';
import type { AllocationPath } from './allocation';

/** Any well-formed ARNs do: the emulator, like the Data API, only requires them. */
const CLUSTER_ARN = 'arn:aws:rds:us-east-1:000000000000:cluster:tokenstocks-bench';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:tokenstocks-bench-AbCdEf';

/** What the emulator saw of a run, against the Data API's limits (shared/db/data-api-limits.ts). */
export interface DataApiFigures {
  /** The largest ExecuteStatement response, measured as the emulator measures it against 1 MiB (refused ones included). */
  max_response_bytes: number;
  max_request_bytes: number;
  /** The slowest statement on Postgres, against the 45 s statement timeout. */
  max_statement_ms: number;
  /** The first error the emulator answered; a refusal names the limit crossed. */
  first_error: string | null;
  /** Calls served (statements, transaction begins and ends), Σ their answers' bytes, Σ their time on Postgres. */
  calls: number;
  response_bytes_total: number;
  statement_ms_total: number;
}

export interface DataApiPath {
  path: AllocationPath<DataApiFigures>;
  close(): Promise<void>;
}

/**
 * The production path to `database`: the RDS Data API emulator in front of it, with the service's
 * real limits; a Kysely built by createDb over the Data API client; and for the worker process
 * exactly a Lambda's configuration (DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME and
 * AWS_ENDPOINT_URL_RDS_DATA, no DATABASE_URL), as `LOCAL_DATABASE=data-api npm start` sets it.
 */
export async function startDataApiPath(postgres: LocalPostgres, database: string): Promise<DataApiPath> {
  // The real statement timeout even when DATA_API_STATEMENT_TIMEOUT_MS is set: the figure is AWS's.
  const emulator = await startDataApiEmulator({ postgresUrl: postgres.urlFor(database), statementTimeoutMs: DATA_API_LIMITS.statementTimeoutMs });
  // The SDK v3 reads a service's endpoint from AWS_ENDPOINT_URL_<SERVICE ID>, here for the bench's own client.
  process.env.AWS_ENDPOINT_URL_RDS_DATA = emulator.endpoint;
  const db = createDb({ driver: 'data-api', resourceArn: CLUSTER_ARN, secretArn: SECRET_ARN, database });
  return {
    path: {
      name: 'the Data API',
      db,
      workerEnv: {
        DB_CLUSTER_ARN: CLUSTER_ARN,
        DB_SECRET_ARN: SECRET_ARN,
        DB_NAME: database,
        AWS_ENDPOINT_URL_RDS_DATA: emulator.endpoint,
        DATABASE_URL: undefined,
      },
      watch: () => {
        emulator.takeStats();
        return () => {
          const stats = emulator.takeStats();
          return {
            max_response_bytes: stats.maxResponseBytes,
            max_request_bytes: stats.maxRequestBytes,
            max_statement_ms: Math.round(stats.maxStatementMs),
            first_error: stats.firstError,
            calls: stats.calls,
            response_bytes_total: stats.responseBytes,
            statement_ms_total: Math.round(stats.statementMs),
          };
        };
      },
    },
    close: async () => {
      await db.destroy();
      await emulator.close();
    },
  };
}
