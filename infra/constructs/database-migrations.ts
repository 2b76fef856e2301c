import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CustomResource, Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { REPO_ROOT } from '../paths';
import { AppFunction, invokeVersionsFinding } from './app-function';
import type { Database } from './database';

const MIGRATIONS_DIR = join(REPO_ROOT, 'migrations');

/** A hash of every file under migrations/ (names and contents): it changes whenever a migration does. */
export function migrationsHash(dir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export interface DatabaseMigrationsProps {
  database: Database;
  config: StageConfig;
}

/**
 * Runs the migrations during the deployment, through the CDK Provider framework: the handler
 * (functions/migrations/run-migrations.ts) migrates to latest on Create and on every Update —
 * and the hash of migrations/ in the properties makes any change to a migration an Update. A
 * failing migration fails the deployment, which CloudFormation then rolls back.
 */
export class DatabaseMigrations extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, { database, config }: DatabaseMigrationsProps) {
    super(scope, id);
    const handler = new AppFunction(this, 'RunMigrations', {
      handler: 'functions/migrations/run-migrations.ts',
      description: 'Applies pending database migrations during deployment',
      timeout: Duration.minutes(10),
      config,
      runsMigrations: true,
    });
    handler.bindDatabase(database);

    const frameworkLogs = new LogGroup(this, 'ProviderLogs', config.logs);
    const frameworkRole = new Role(this, 'ProviderRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    frameworkLogs.grantWrite(frameworkRole);
    const provider = new Provider(this, 'Provider', {
      onEventHandler: handler,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });

    this.resource = new CustomResource(this, 'Migrations', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DatabaseMigrations',
      properties: { MigrationsHash: migrationsHash() },
    });
    // Both nodes may live in different stacks: this also orders the stacks.
    this.resource.node.addDependency(database.cluster);

    Validations.of(frameworkRole).acknowledge({
      id: invokeVersionsFinding(handler),
      reason: "The Provider framework may invoke the migration handler and its versions (the ARN's :* suffix), nothing else.",
    });
  }
}
