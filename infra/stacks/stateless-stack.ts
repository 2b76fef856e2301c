import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { routes } from '../../functions/routes';
import { type QueueName, workers } from '../../functions/workers';
import type { RouteDefinition } from '../../shared/http/route';
import type { StageConfig } from '../config';
import { AppFunction, SERVICE_NAME } from '../constructs/app-function';
import type { Database } from '../constructs/database';
import { DatabaseMigrations } from '../constructs/database-migrations';
import { HttpApiGateway } from '../constructs/http-api';
import type { Identity } from '../constructs/identity';
import { RedemptionWorkflow } from '../constructs/redemption-workflow';
import type { WorkQueue } from '../constructs/work-queue';
import { pascalCase } from '../naming';
import { type BindableResources, bindUses } from '../resource-bindings';

/** API Gateway stops waiting for an integration after 30 s. */
const API_FUNCTION_TIMEOUT = Duration.seconds(29);

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  database: Database;
  queues: Record<QueueName, WorkQueue>;
  identity: Identity;
}

/**
 * The code: the migrations run at deploy time, then one Lambda and one API route per entry of
 * functions/routes.ts, one Lambda fed by its queue per entry of functions/workers.ts, and the
 * redemption workflow with one Lambda per step of functions/workflow.ts. Each function gets
 * exactly the resources its entry's `uses` declares.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApiGateway;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;

    const migrations = new DatabaseMigrations(this, 'Database', { database: props.database, config });
    const stateful: BindableResources = { database: props.database, queues: props.queues };
    const workflow = new RedemptionWorkflow(this, 'RedemptionWorkflow', { config, resources: stateful, after: migrations.resource });
    const resources: BindableResources = { ...stateful, redemptionWorkflow: workflow.stateMachine };

    this.api = new HttpApiGateway(this, 'Http', {
      apiName: `TokenStocks-${config.stage}`,
      identity: props.identity,
      corsOrigins: config.api.corsOrigins,
      rateLimit: config.api.rateLimit,
      burstLimit: config.api.burstLimit,
      logs: config.logs,
    });

    const routeFunctions = new Construct(this, 'Routes');
    for (const [name, route] of Object.entries(routes) as [string, RouteDefinition][]) {
      const fn = new AppFunction(routeFunctions, pascalCase(name), {
        handler: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        timeout: API_FUNCTION_TIMEOUT,
        config,
        bundledFiles: route.bundledFiles,
      });
      bindUses(fn, route.uses, resources);
      // New code is served only once the schema it expects is in place.
      fn.node.addDependency(migrations.resource);
      this.api.addRoute(name, route, fn);
    }

    const workerFunctions = new Construct(this, 'Workers');
    for (const [name, worker] of Object.entries(workers)) {
      const fn = new AppFunction(workerFunctions, pascalCase(name), {
        handler: worker.handler,
        description: `Works the ${worker.queue} queue`,
        timeout: Duration.seconds(worker.timeoutSeconds),
        memorySize: worker.memoryMb,
        config,
      });
      bindUses(fn, worker.uses, resources);
      fn.bindQueueConsumer(props.queues[worker.queue], { batchSize: worker.batchSize });
      fn.node.addDependency(migrations.resource);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ApiAccessLogGroup', { value: this.api.accessLogs.logGroupName });
    // Each function logs to <prefix><Routes|Workers|RedemptionWorkflow|Database>/<Name>.
    new CfnOutput(this, 'FunctionLogGroupPrefix', { value: `/${SERVICE_NAME}/${config.stage}/` });
    new CfnOutput(this, 'RedemptionStateMachineArn', { value: workflow.stateMachine.stateMachineArn });
  }
}
