import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { redemptionApprovalTimeoutSeconds } from '../shared/config';
import { API_THROTTLE } from './api-throttle';

/**
 * Everything that differs between deployments, read once from CDK context
 * (`cdk deploy -c stage=prod -c corsOrigins=https://app.example.com`).
 */
export interface StageConfig {
  stage: string;
  production: boolean;
  /**
   * The `service` of every log line and metric (POWERTOOLS_SERVICE_NAME): one per stage, so that
   * two stages in one account and region never share a metric, nor each other's alarms.
   */
  serviceName: string;
  /**
   * What happens to the user pool when its stack is deleted or it leaves the template: kept in
   * production. Plain Retain there, not RetainExceptOnCreate: the pool is deletion-protected, so
   * a create-rollback's delete would fail, and it has no fixed name a leftover could collide with.
   */
  usersRemovalPolicy: RemovalPolicy;
  /** Every log group's retention and removal policy (spread into `new LogGroup(…)`). */
  logs: LogSettings;
  logLevel: string;
  database: {
    /** 0 lets the cluster auto-pause when idle (Aurora PostgreSQL 16.3+/17.4+). */
    minCapacity: number;
    maxCapacity: number;
    autoPauseAfter: Duration | undefined;
    backupRetention: Duration;
  };
  /**
   * The least time between two runs of a schedule (functions/schedules/index.ts gives each its own rate).
   * Every scheduled run reaches the database, and a cluster that is reached more often than its
   * auto-pause delay never pauses: where it may pause, schedules run at most every three delays, so
   * it sleeps two thirds of the time; elsewhere, at the table's rates. `-c scheduleFloorMinutes`.
   */
  scheduleFloorMinutes: number;
  /** Who the alarms e-mail (`-c opsEmails=a@example.com,b@example.com`); required for stage=prod. */
  opsEmails: string[];
  /** Who is told what waits for an approver (`-c approverEmails=a@example.com,b@example.com`); optional. */
  approverEmails: string[];
  /** How long a redemption waits for a human decision before it expires. */
  redemptionApprovalTimeout: Duration;
  /**
   * Dual control (README "Dual control"), every function's DUAL_CONTROL: `-c dualControl=on|off`,
   * off by default; production runs with it on and refuses `off`.
   */
  dualControl: boolean;
  api: {
    corsOrigins: string[];
    /** Requests per second across the API, and the burst above it. */
    rateLimit: number;
    burstLimit: number;
  };
}

export interface LogSettings {
  retention: RetentionDays;
  /**
   * Production keeps logs when a stack is deleted or updated without them, but not when the
   * deployment that created them rolls back (CloudFormation's RetainExceptOnCreate): a retained
   * group with a fixed name (/tokenstocks/<stage>/…) would make the next deploy fail with
   * "already exists". Other stages delete them with the stack.
   */
  removalPolicy: RemovalPolicy;
}

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

function numberFrom(node: Node, key: string, fallback: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new StageConfigError(`context ${key} must be a non-negative number, got ${String(raw)}`);
  return value;
}

function listFrom(node: Node, key: string): string[] | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return undefined;
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return items.map((item) => item.trim()).filter(Boolean);
}

function dualControlFrom(node: Node, production: boolean): boolean {
  const raw: unknown = node.tryGetContext('dualControl');
  if (raw === undefined) return production;
  if (raw !== 'on' && raw !== 'off') throw new StageConfigError(`context dualControl must be on or off, got ${String(raw)}`);
  // One admin must not be able to act alone on production money; turning that off is not a deploy flag.
  if (production && raw === 'off') throw new StageConfigError('stage=prod runs with dual control on; -c dualControl=off is refused');
  return raw === 'on';
}

/** Deliberately loose (SNS checks deliverability by asking each address to confirm): one @, no spaces or commas. */
const EMAIL_ADDRESS = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

function emailsFrom(node: Node, key: string): string[] | undefined {
  const emails = listFrom(node, key);
  for (const email of emails ?? []) {
    if (!EMAIL_ADDRESS.test(email)) throw new StageConfigError(`context ${key} must be comma-separated e-mail addresses, got ${email}`);
  }
  const duplicate = emails?.find((email, index) => emails.indexOf(email) !== index);
  if (duplicate !== undefined) throw new StageConfigError(`context ${key} names ${duplicate} twice`);
  return emails;
}

/** Freezes plain objects and arrays all the way down; values of library classes (Duration) are left as they are. */
function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Reads and checks the stage settings, once; `stage=prod` turns on every protection of data. The result is frozen. */
export function stageConfig(node: Node): StageConfig {
  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new StageConfigError(`context stage must be a short lowercase name, got ${stage}`);
  const production = stage === 'prod';
  const corsOrigins = listFrom(node, 'corsOrigins') ?? (production ? [] : ['*']);
  if (corsOrigins.length === 0) throw new StageConfigError('stage=prod needs -c corsOrigins=https://your.app (comma-separated)');
  // Production alarms must reach someone; other stages may run without subscribers.
  const opsEmails = emailsFrom(node, 'opsEmails') ?? [];
  if (production && opsEmails.length === 0) throw new StageConfigError('stage=prod needs -c opsEmails=you@example.com (comma-separated)');
  // Production stays warm (resuming from a pause takes ~15 s); other stages pause when idle.
  const minCapacity = numberFrom(node, 'dbMinCapacity', production ? 0.5 : 0);
  const throttle = API_THROTTLE[production ? 'production' : 'dev'];
  const autoPauseMinutes = minCapacity === 0 ? numberFrom(node, 'dbAutoPauseMinutes', 10) : undefined;
  return deepFreeze({
    stage,
    production,
    serviceName: `tokenstocks-${stage}`,
    usersRemovalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logs: {
      retention: production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: production ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY,
    },
    logLevel: String(node.tryGetContext('logLevel') ?? 'INFO'),
    database: {
      minCapacity,
      maxCapacity: numberFrom(node, 'dbMaxCapacity', production ? 8 : 2),
      autoPauseAfter: autoPauseMinutes === undefined ? undefined : Duration.minutes(autoPauseMinutes),
      backupRetention: Duration.days(production ? 14 : 1),
    },
    scheduleFloorMinutes: numberFrom(node, 'scheduleFloorMinutes', autoPauseMinutes === undefined ? 0 : 3 * autoPauseMinutes),
    opsEmails,
    approverEmails: emailsFrom(node, 'approverEmails') ?? [],
    dualControl: dualControlFrom(node, production),
    redemptionApprovalTimeout: Duration.seconds(
      numberFrom(node, 'redemptionApprovalTimeoutSeconds', redemptionApprovalTimeoutSeconds()),
    ),
    api: {
      corsOrigins,
      rateLimit: numberFrom(node, 'apiRateLimit', throttle.rateLimit),
      burstLimit: numberFrom(node, 'apiBurstLimit', throttle.burstLimit),
    },
  });
}
