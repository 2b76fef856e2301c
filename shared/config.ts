import * as z from './zod';
import { DATA_API_LIMITS } from './db/data-api-limits';
import { ENV_NAMES } from './env-names';
import type { Decimal } from './decimal';
import { decimalString } from './http/schemas';
import { DISTRIBUTION_AMOUNT } from './quantities';

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

const dataApiEnv = () =>
  z.object({
    [ENV_NAMES.dbClusterArn]: z.string().check(z.startsWith('arn:')),
    [ENV_NAMES.dbSecretArn]: z.string().check(z.startsWith('arn:')),
    [ENV_NAMES.dbName]: z.string().check(z.minLength(1)),
  });

const pgEnv = () =>
  z.object({
    DATABASE_URL: z.string().check(z.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
    DATABASE_POOL_SIZE: z._default(z.coerce.number().check(z.int(), z.positive()), 10),
  });

// Each concern's schema is a function, built by its reader on first use: a function reads one or
// two concerns, and builds none of the others' at its cold start.
function parseEnv<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv, what: string): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`${what} configuration is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

// Pure, so a bundle keeps only the readers it calls (esbuild drops an unused `memoize(…)`).
/* @__NO_SIDE_EFFECTS__ */
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
  if (env[ENV_NAMES.dbClusterArn] !== undefined) {
    const dataApi = parseEnv(dataApiEnv(), env, 'Data API database');
    return {
      driver: 'data-api',
      resourceArn: dataApi[ENV_NAMES.dbClusterArn],
      secretArn: dataApi[ENV_NAMES.dbSecretArn],
      database: dataApi[ENV_NAMES.dbName],
    };
  }
  if (env.DATABASE_URL !== undefined) {
    const { DATABASE_URL, DATABASE_POOL_SIZE } = parseEnv(pgEnv(), env, 'Postgres database');
    return { driver: 'pg', connectionString: DATABASE_URL, poolSize: DATABASE_POOL_SIZE };
  }
  throw new ConfigError(
    `No database configured: set ${ENV_NAMES.dbClusterArn}, ${ENV_NAMES.dbSecretArn} and ${ENV_NAMES.dbName} (AWS), or DATABASE_URL (local)`,
  );
});

/**
 * Holders one calculation statement may cover. Statement time grows linearly with holders (index
 * range scans in holder order, per-holder arithmetic): through the local Data API emulator on a
 * 2-core machine a 50,000-holder write took at most 1.7 s (a 20,000-holder one 2.9 s on a loaded
 * machine, so about 7 s for 50,000 there), 6 times under the Data API's 45 s. Fewer, larger
 * statements cost less per holder (each write step is a transaction: 5 Data API calls).
 * README: "Distributions".
 */
export const MAX_HOLDERS_PER_STATEMENT = 50_000;

/** A commit (or the state write that ends a unit of work) after the last statement of a step. */
const DEFAULT_COMMIT_ALLOWANCE_MS = 5_000;

const calculationEnv = () =>
  z
    .object({
      [ENV_NAMES.maxReceiveCount]: z.coerce.number().check(z.int(), z.gte(1)),
      ALLOCATION_CHUNK_SIZE: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_HOLDERS_PER_STATEMENT)), MAX_HOLDERS_PER_STATEMENT),
      CALCULATION_TIME_MARGIN_MS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 60_000),
      // The same variable shortens the local Data API emulator's limit (local/data-api/server.ts).
      DATA_API_STATEMENT_TIMEOUT_MS: z._default(
        z.coerce.number().check(z.int(), z.gte(1), z.lte(DATA_API_LIMITS.statementTimeoutMs)),
        DATA_API_LIMITS.statementTimeoutMs,
      ),
      CALCULATION_COMMIT_ALLOWANCE_MS: z._default(z.coerce.number().check(z.int(), z.gte(0)), DEFAULT_COMMIT_ALLOWANCE_MS),
    })
    .check(
      z.refine((env) => env.CALCULATION_TIME_MARGIN_MS >= env.DATA_API_STATEMENT_TIMEOUT_MS + env.CALCULATION_COMMIT_ALLOWANCE_MS, {
        path: ['CALCULATION_TIME_MARGIN_MS'],
        message:
          'must be at least DATA_API_STATEMENT_TIMEOUT_MS + CALCULATION_COMMIT_ALLOWANCE_MS: a unit of work started with less time left could outlive the invocation',
      }),
    );

export type CalculationConfig = Readonly<{
  /** SQS delivers a message this many times before its dead-letter queue: the last try marks the event failed. */
  maxReceiveCount: number;
  /** Holders per statement that aggregates or writes (row-returning reads take fewer, sized from the Data API limits). */
  chunkSize: number;
  /**
   * Time left at which a worker stops and hands over to a continuation message: no statement
   * that can run long starts with less, and after one comes at most a commit, so with a margin
   * of a statement timeout (the database cuts a statement off then) and a commit none outlives
   * the invocation.
   */
  timeMarginMs: number;
}>;

export const calculationConfig = memoize((): CalculationConfig => {
  const env = parseEnv(calculationEnv(), process.env, 'Allocation worker');
  return {
    maxReceiveCount: env[ENV_NAMES.maxReceiveCount],
    chunkSize: env.ALLOCATION_CHUNK_SIZE,
    timeMarginMs: env.CALCULATION_TIME_MARGIN_MS,
  };
});

const redemptionEnv = () =>
  z.object({
    REDEMPTION_APPROVAL_TIMEOUT_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(365 * 24 * 3600)), 7 * 24 * 3600),
  });

/** How long a redemption waits for a human decision before it is rejected as expired (default 7 days). */
export const redemptionApprovalTimeoutSeconds = memoize(() => parseEnv(redemptionEnv(), process.env, 'Redemption').REDEMPTION_APPROVAL_TIMEOUT_SECONDS);

/** The redemption workflow's state machine, for the worker that starts executions. */
export const redemptionStateMachineArn = memoize(() => {
  const arn = process.env[ENV_NAMES.redemptionStateMachineArn];
  if (arn === undefined || !arn.startsWith('arn:')) {
    throw new ConfigError(`${ENV_NAMES.redemptionStateMachineArn} is not set: the redemption workflow state machine`);
  }
  return arn;
});

const withdrawalEnv = () =>
  z.object({
    // A withdrawal amount, so a distribution amount.
    WITHDRAWAL_MINIMUM_AMOUNT: z.prefault(decimalString(DISTRIBUTION_AMOUNT), '0.01'),
    WITHDRAWAL_MAX_OPEN_PER_ALLOCATION: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000)), 10),
  });

export type WithdrawalLimits = Readonly<{
  /** The least a withdrawal request may ask for, unless it asks for everything still available. */
  minimumAmount: Decimal;
  /** Requests an allocation may have open (pending or approved) at once. */
  maxOpenPerAllocation: number;
}>;

/**
 * The limits on withdrawal requests (README: Conventions). Defaults: 0.01, the smallest amount a
 * bank transfer carries, and 10 open requests per allocation, more than an LP needs while
 * keeping what one LP can put before the admins small.
 */
export const withdrawalLimits = memoize((): WithdrawalLimits => {
  const env = parseEnv(withdrawalEnv(), process.env, 'Withdrawal limits');
  return { minimumAmount: env.WITHDRAWAL_MINIMUM_AMOUNT, maxOpenPerAllocation: env.WITHDRAWAL_MAX_OPEN_PER_ALLOCATION };
});

const proposalEnv = () =>
  z.object({
    PROPOSAL_WINDOW_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(90 * 24)), 7 * 24),
  });

/**
 * Hours a dual-control proposal waits for a second admin (README "Dual control"). Default: a
 * week, long enough to span a weekend or a holiday; past it the proposal can no longer be
 * decided and the reconciler ends it as `expired`, so none waits forever.
 */
export const proposalWindowHours = memoize(() => parseEnv(proposalEnv(), process.env, 'Proposal window').PROPOSAL_WINDOW_HOURS);

const dualControlEnv = () =>
  z.object({
    [ENV_NAMES.dualControl]: z.enum(['on', 'off'], { message: 'must be on or off' }),
  });

/**
 * Dual control (maker–checker, README "Dual control"): on, a NAV entry, a credit to the pool
 * without a verified cashflow and an issue of LP tokens wait for a second admin, and a redemption's
 * approver must not have made its NAV or its LP's tokens. Required, with no default here: infra
 * sets it on every function (on in production) and the local stack to off unless told otherwise,
 * so a function without it fails instead of quietly running without dual control.
 */
export const dualControlEnabled = memoize(() => parseEnv(dualControlEnv(), process.env, 'Dual control')[ENV_NAMES.dualControl] === 'on');

/** The event bus domain events go to (EventBridge), for whoever delivers them: the outbox relay. */
export const eventBusName = memoize(() => {
  const name = process.env[ENV_NAMES.eventBusName];
  if (name === undefined || name === '') throw new ConfigError(`${ENV_NAMES.eventBusName} is not set: the event bus domain events go to`);
  return name;
});

/** The SNS topic that tells approvers what waits for them, for whoever delivers its notifications: the outbox relay. */
export const approversTopicArn = memoize(() => {
  const arn = process.env[ENV_NAMES.approversTopicArn];
  if (arn === undefined || !arn.startsWith('arn:')) throw new ConfigError(`${ENV_NAMES.approversTopicArn} is not set: the approvers’ SNS topic`);
  return arn;
});
