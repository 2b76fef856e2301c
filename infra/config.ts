import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { redemptionApprovalTimeoutSeconds } from '../shared/config';

/**
 * Everything that differs between deployments, read once from CDK context
 * (`cdk deploy -c stage=prod -c corsOrigins=https://app.example.com`).
 */
export interface StageConfig {
  stage: string;
  production: boolean;
  /** What happens to data-holding resources when the stack is deleted. */
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: string;
  database: {
    /** 0 lets the cluster auto-pause when idle (Aurora PostgreSQL 16.3+/17.4+). */
    minCapacity: number;
    maxCapacity: number;
    autoPauseAfter: Duration | undefined;
    backupRetention: Duration;
  };
  /** How long a redemption waits for a human decision before it expires. */
  redemptionApprovalTimeout: Duration;
  api: {
    corsOrigins: string[];
    /** Requests per second across the API, and the burst above it. */
    rateLimit: number;
    burstLimit: number;
  };
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

/** Reads and checks the stage settings; `stage=prod` turns on every protection of data. */
export function stageConfig(node: Node): StageConfig {
  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new StageConfigError(`context stage must be a short lowercase name, got ${stage}`);
  const production = stage === 'prod';
  const corsOrigins = listFrom(node, 'corsOrigins') ?? (production ? [] : ['*']);
  if (corsOrigins.length === 0) throw new StageConfigError('stage=prod needs -c corsOrigins=https://your.app (comma-separated)');
  // Production stays warm (resuming from a pause takes ~15 s); other stages pause when idle.
  const minCapacity = numberFrom(node, 'dbMinCapacity', production ? 0.5 : 0);
  return {
    stage,
    production,
    removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
    logLevel: String(node.tryGetContext('logLevel') ?? 'INFO'),
    database: {
      minCapacity,
      maxCapacity: numberFrom(node, 'dbMaxCapacity', production ? 8 : 2),
      autoPauseAfter: minCapacity === 0 ? Duration.minutes(numberFrom(node, 'dbAutoPauseMinutes', 10)) : undefined,
      backupRetention: Duration.days(production ? 14 : 1),
    },
    redemptionApprovalTimeout: Duration.seconds(
      numberFrom(node, 'redemptionApprovalTimeoutSeconds', redemptionApprovalTimeoutSeconds()),
    ),
    api: {
      corsOrigins,
      rateLimit: numberFrom(node, 'apiRateLimit', production ? 100 : 20),
      burstLimit: numberFrom(node, 'apiBurstLimit', production ? 200 : 40),
    },
  };
}
