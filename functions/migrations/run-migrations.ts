import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { getDb } from '../../shared/db/client';
import { migrateToLatest } from '../../shared/db/migrator';
import { logger } from '../../shared/logger';

const PHYSICAL_RESOURCE_ID = 'database-migrations';

/**
 * onEvent handler of the deploy-time custom resource (CDK Provider framework).
 * Create and Update migrate to latest; a failing migration throws, which fails the deployment
 * with that migration's error. Delete does nothing: removing the stack must not drop data.
 */
export async function handler(event: CloudFormationCustomResourceEvent) {
  if (event.RequestType === 'Delete') {
    logger.info('Delete: leaving the schema as it is');
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const applied = await migrateToLatest(getDb());
  logger.info('Migrations applied', { applied });
  return {
    PhysicalResourceId: PHYSICAL_RESOURCE_ID,
    Data: { Applied: applied.join(',') || 'none' },
  };
}
