import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type ScheduleDefinition, schedules } from '../../functions/schedules';
import { type QueueName, type WorkerDefinition, workers } from '../../functions/workers';
import type { StageConfig } from '../config';
import { AppFunction, SERVICE_NAME } from '../constructs/app-function';
import type { Database } from '../constructs/database';
import { DatabaseMigrations } from '../constructs/database-migrations';
import { HttpApiGateway } from '../constructs/http-api';
import type { Identity } from '../constructs/identity';
import type { OperationsTopic } from '../constructs/operations-topic';
import { ReconciliationAlarms } from '../constructs/reconciliation-alarms';
import { RedemptionWorkflow } from '../constructs/redemption-workflow';
import { ScheduledFunctionAlarms } from '../constructs/scheduled-function-alarms';
import type { WorkQueue } from '../constructs/work-queue';
import { pascalCase, workerConstructId } from '../naming';
import { type BindableResources, bindUses } from '../resource-bindings';
import { type RouteTable, routesByArea } from '../route-areas';
import { RouteAreaStack } from './route-area-stack';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  /** functions/routes/index.ts (a test may pass a larger table to check the headroom). */
  routes: RouteTable;
  database: Database;
  queues: Record<QueueName, WorkQueue>;
  identity: Identity;
  operations: OperationsTopic;
  eventBus: IEventBus;
  approversTopic: ITopic;
}

/**
 * The code: the migrations run at deploy time, the HTTP API, one Lambda fed by its queue per
 * entry of functions/workers/index.ts, one Lambda run by an EventBridge schedule per entry of
 * functions/schedules/index.ts with the alarms on them and on what they report, and the redemption
 * workflow with one Lambda per step of functions/workflow/index.ts. The routes of functions/routes/index.ts, one Lambda and one API route per
 * entry, live in one nested stack per area (infra/stacks/route-area-stack.ts), so that this
 * stack's resource count does not grow with the route table. Each function gets exactly the
 * resources its entry's `uses` declares.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApiGateway;
  /** The nested stack of each area of the route table. */
  readonly routeAreas: Map<string, RouteAreaStack>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong references (exports) to the Stateful stack, chosen rather than defaulted: while this
    // stack uses the database, a queue, the user pool or the topic, CloudFormation refuses a
    // Stateful deploy that would remove it. Weak ones (Fn::GetStackOutput) would let it go and
    // leave running code pointing at nothing. (Its nested stacks import the same exports; what
    // they take from this stack itself reaches them as parameters.)
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config } = props;

    const migrations = new DatabaseMigrations(this, 'Database', { database: props.database, config });
    const stateful: BindableResources = {
      database: props.database,
      queues: props.queues,
      eventBus: props.eventBus,
      approversTopic: props.approversTopic,
    };
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

    this.routeAreas = new Map(
      [...routesByArea(props.routes)].map(([area, entries]) => [
        area,
        new RouteAreaStack(this, `${pascalCase(area)}Routes`, {
          config,
          routes: entries,
          api: this.api,
          resources,
          after: migrations.resource,
          description: `TokenStocks ${config.stage}: the ${area} routes`,
        }),
      ]),
    );

    const workerFunctions = new Construct(this, 'Workers');
    for (const [name, worker] of Object.entries(workers as Record<string, WorkerDefinition>)) {
      const fn = new AppFunction(workerFunctions, workerConstructId(name, worker), {
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

    const scheduledFunctions = new Construct(this, 'Schedules');
    const everyMinutes = (scheduled: ScheduleDefinition) => Math.max(scheduled.everyMinutes, config.scheduleFloorMinutes);
    for (const [name, scheduled] of Object.entries(schedules) as [string, ScheduleDefinition][]) {
      const fn = new AppFunction(scheduledFunctions, pascalCase(name), {
        handler: scheduled.handler,
        description: `Runs every ${everyMinutes(scheduled)} min: ${name}`,
        timeout: Duration.seconds(scheduled.timeoutSeconds),
        memorySize: scheduled.memoryMb,
        config,
      });
      bindUses(fn, scheduled.uses, resources);
      fn.node.addDependency(migrations.resource);
      const interval = Duration.minutes(everyMinutes(scheduled));
      fn.bindSchedule(interval);
      new ScheduledFunctionAlarms(scheduledFunctions, `${pascalCase(name)}Alarms`, { fn, interval, operations: props.operations });
    }
    const slowestSchedule = Math.max(...Object.values(schedules).map(everyMinutes));
    new ReconciliationAlarms(this, 'ReconciliationAlarms', {
      period: Duration.minutes(2 * slowestSchedule),
      operations: props.operations,
      serviceName: config.serviceName,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ApiAccessLogGroup', { value: this.api.accessLogs.logGroupName });
    // Each function logs to <prefix><Routes|Workers|Schedules|RedemptionWorkflow|Database>/<Name>.
    new CfnOutput(this, 'FunctionLogGroupPrefix', { value: `/${SERVICE_NAME}/${config.stage}/` });
    new CfnOutput(this, 'RedemptionStateMachineArn', { value: workflow.stateMachine.stateMachineArn });
  }
}
