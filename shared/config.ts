import { z } from 'zod';

/**
 * Configuration read from the environment once per process, checked, and frozen.
 * A missing or malformed variable fails at first use with the variable's name, never with a
 * placeholder default.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type DatabaseConfig =
  | Readonly<{ driver: 'data-api'; resourceArn: string; secretArn: string; database: string }>
  | Readonly<{ driver: 'pg'; connectionString: string; poolSize: number }>;

const dataApiEnv = z.object({
  DB_CLUSTER_ARN: z.string().startsWith('arn:'),
  DB_SECRET_ARN: z.string().startsWith('arn:'),
  DB_NAME: z.string().min(1),
});

const pgEnv = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
});

function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, what: string): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`${what} configuration is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

function memoize<T>(read: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= Object.freeze(read()));
}

/**
 * On AWS (DB_CLUSTER_ARN set) the database is reached through the RDS Data API;
 * locally and in tests through `pg` at DATABASE_URL.
 */
export const databaseConfig = memoize((): DatabaseConfig => {
  const env = process.env;
  if (env.DB_CLUSTER_ARN !== undefined) {
    const { DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME } = parseEnv(dataApiEnv, env, 'Data API database');
    return { driver: 'data-api', resourceArn: DB_CLUSTER_ARN, secretArn: DB_SECRET_ARN, database: DB_NAME };
  }
  if (env.DATABASE_URL !== undefined) {
    const { DATABASE_URL, DATABASE_POOL_SIZE } = parseEnv(pgEnv, env, 'Postgres database');
    return { driver: 'pg', connectionString: DATABASE_URL, poolSize: DATABASE_POOL_SIZE };
  }
  throw new ConfigError(
    'No database configured: set DB_CLUSTER_ARN, DB_SECRET_ARN and DB_NAME (AWS), or DATABASE_URL (local)',
  );
});

const calculationEnv = z.object({
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1),
  ALLOCATION_CHUNK_SIZE: z.coerce.number().int().min(1).max(50_000).default(20_000),
  CALCULATION_TIME_MARGIN_MS: z.coerce.number().int().min(0).default(60_000),
});

export type CalculationConfig = Readonly<{
  /** SQS delivers a message this many times before its dead-letter queue: the last try marks the event failed. */
  maxReceiveCount: number;
  /** Holders per statement that aggregates or writes (row-returning reads take at most 4,000). */
  chunkSize: number;
  /** Time left at which a worker stops and hands over to a continuation message. */
  timeMarginMs: number;
}>;

export const calculationConfig = memoize((): CalculationConfig => {
  const env = parseEnv(calculationEnv, process.env, 'Allocation worker');
  return {
    maxReceiveCount: env.MAX_RECEIVE_COUNT,
    chunkSize: env.ALLOCATION_CHUNK_SIZE,
    timeMarginMs: env.CALCULATION_TIME_MARGIN_MS,
  };
});

const redemptionEnv = z.object({
  REDEMPTION_APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(365 * 24 * 3600).default(7 * 24 * 3600),
});

/** How long a redemption waits for a human decision before it is rejected as expired (default 7 days). */
export const redemptionApprovalTimeoutSeconds = memoize(
  () => parseEnv(redemptionEnv, process.env, 'Redemption').REDEMPTION_APPROVAL_TIMEOUT_SECONDS,
);

/** The redemption workflow's state machine, for the worker that starts executions. */
export const redemptionStateMachineArn = memoize(() => {
  const arn = process.env.REDEMPTION_STATE_MACHINE_ARN;
  if (arn === undefined || !arn.startsWith('arn:')) {
    throw new ConfigError('REDEMPTION_STATE_MACHINE_ARN is not set: the redemption workflow state machine');
  }
  return arn;
});
