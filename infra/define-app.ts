import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routes } from '../functions/routes';
import { stageConfig } from './config';
import type { RouteTable } from './route-areas';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/**
 * The whole system for one stage, as two stacks: stateful (database, queues, users) and
 * stateless (functions, API, migrations; its routes in one nested stack per area, which deploy
 * with it). Both are environment-agnostic, so synthesis needs no AWS account; `cdk deploy`
 * deploys them to the account and region of the caller's credentials. cdk-nag's AwsSolutions
 * checks run on every synthesis, nested stacks included: an unacknowledged finding stops it.
 * `tables` replaces the route table (tests use it to check the stacks' headroom).
 */
export function defineApp(app: App, tables: { routes: RouteTable } = { routes }): { stateful: StatefulStack; stateless: StatelessStack } {
  const config = stageConfig(app.node);
  const prefix = `TokenStocks-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    config,
    description: `TokenStocks ${config.stage}: database, queues and users`,
    terminationProtection: config.production,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    config,
    routes: tables.routes,
    database: stateful.database,
    queues: stateful.queues,
    identity: stateful.identity,
    operations: stateful.operations,
    eventBus: stateful.eventBus,
    approversTopic: stateful.approvers.topic,
    description: `TokenStocks ${config.stage}: functions, API and migrations`,
  });
  Tags.of(app).add('project', 'tokenstocks');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless };
}
