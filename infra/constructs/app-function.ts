import { type CfnElement, type Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { lambdaCode } from '../lambda-assets';
import type { Database } from './database';
import type { WorkQueue } from './work-queue';
import { ENV_NAMES } from '../../shared/env-names';

export const SERVICE_NAME = 'tokenstocks';

export interface AppFunctionProps {
  /** Module exporting `handler`, relative to the repository root (as in the route and worker tables). */
  handler: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  config: StageConfig;
  /** Package files copied next to the bundled handler, with an environment variable naming their folder. */
  bundledFiles?: { package: string; files: readonly string[]; dirEnv: string };
  /** The migrations function: bundled with Kysely whole (schema builders, migrator); every other one gets infra/kysely-stubs.ts. */
  runsMigrations?: boolean;
}

/**
 * Every Lambda of the system: Node.js 22 on arm64, bundled by the local esbuild (never Docker)
 * into minified ESM with source maps, the AWS SDK v3 taken from the runtime (infra/lambda-assets.ts),
 * its own log group with retention, and a role that can only write those logs until a `bind…`
 * helper grants more.
 */
export class AppFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, { handler, description, timeout, memorySize = 1024, config, bundledFiles, runsMigrations = false }: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      logGroupName: `/${SERVICE_NAME}/${config.stage}/${scope.node.id}/${id}`,
      ...config.logs,
    });
    // Its own role instead of the default one, whose AWS managed policy lets it write any log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
    logGroup.grantWrite(role);
    super(scope, id, {
      code: lambdaCode(handler, runsMigrations ? 'migrations' : 'handlers', bundledFiles),
      handler: 'index.handler',
      description,
      // The Node major the project is developed and tested on (package.json engines).
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout,
      memorySize,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: config.serviceName,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        [ENV_NAMES.dualControl]: config.dualControl ? 'on' : 'off',
        // Lambda unpacks the bundle in /var/task.
        ...(bundledFiles === undefined ? {} : { [bundledFiles.dirEnv]: '/var/task' }),
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Runs on nodejs22.x, the Node major the code is developed and tested on (package.json engines >=22 <23).',
    });
  }

  /** Reaches the database through the Data API: cluster, secret and database name, and access to both. */
  bindDatabase(database: Database): void {
    this.addEnvironment(ENV_NAMES.dbClusterArn, database.cluster.clusterArn);
    this.addEnvironment(ENV_NAMES.dbSecretArn, database.secret.secretArn);
    this.addEnvironment(ENV_NAMES.dbName, database.name);
    database.cluster.grantDataApiAccess(this);
  }

  /** Sends messages to a queue, whose URL it finds in `envVar`. */
  bindQueueSender(queue: WorkQueue, envVar: string): void {
    this.addEnvironment(envVar, queue.queue.queueUrl);
    queue.queue.grant(this, 'sqs:SendMessage');
  }

  /** Is fed by a queue, reporting batch item failures so that only failed messages return. */
  bindQueueConsumer(queue: WorkQueue, { batchSize }: { batchSize: number }): void {
    this.addEnvironment(ENV_NAMES.maxReceiveCount, String(queue.maxReceiveCount));
    this.addEventSource(new SqsEventSource(queue.queue, { batchSize, reportBatchItemFailures: true }));
  }

  /** Starts executions of the redemption workflow. */
  bindWorkflowStarter(stateMachine: IStateMachine): void {
    this.addEnvironment(ENV_NAMES.redemptionStateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
  }

  /**
   * Reads the state of the redemption workflow's executions (to find those that ended without
   * their request): lists them and describes one. Not `grantRead`, which adds describing any
   * state machine and activity of the account.
   */
  bindWorkflowReader(stateMachine: IStateMachine): void {
    this.addEnvironment(ENV_NAMES.redemptionStateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grant(this, 'states:ListExecutions');
    stateMachine.grantExecution(this, 'states:DescribeExecution');
    if (this.role !== undefined) {
      Validations.of(this.role).acknowledge({
        id: executionsFinding(stateMachine),
        reason: "Describes the redemption workflow's executions, whose names are only known at run time (its execution ARNs' :* suffix); no other state machine.",
      });
    }
  }

  /**
   * Runs every `interval` on an EventBridge Scheduler schedule (EventBridge's scheduled rules are
   * its legacy way). A run that fails is not retried, by the scheduler or by Lambda's
   * asynchronous retries: the next run is the retry, and a tick older than the interval is dropped.
   */
  bindSchedule(interval: Duration): Schedule {
    const schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(interval),
      description: `Runs ${this.node.id} every ${interval.toHumanString()}`,
      target: new LambdaInvoke(this, { retryAttempts: 0, maxEventAge: interval }),
    });
    this.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: interval });
    // LambdaInvoke makes the scheduler's role at the stack's root (one per target), out of reach of an acknowledgment here.
    Validations.of(Stack.of(this)).acknowledge({
      id: invokeVersionsFinding(this),
      reason: `EventBridge Scheduler's role for ${this.node.id} may invoke this function and its versions (the ARN's :* suffix), nothing else.`,
    });
    return schedule;
  }

  /** Puts events on the stage's bus (EventBridge PutEvents on that bus only). */
  bindEventBus(bus: IEventBus): void {
    this.addEnvironment(ENV_NAMES.eventBusName, bus.eventBusName);
    bus.grantPutEventsTo(this);
  }

  /**
   * Publishes to the approvers' topic. Not `grantPublish`, which also grants its key's actions
   * with a wildcard (`kms:GenerateDataKey*`): the topic is under SNS's AWS managed key, whose own
   * policy lets SNS use it for any publisher of the account.
   */
  bindApproversTopic(topic: ITopic): void {
    this.addEnvironment(ENV_NAMES.approversTopicArn, topic.topicArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
  }

  /** Resumes a workflow waiting on an approval, with the task token it was given. */
  bindWorkflowDecider(stateMachine: IStateMachine): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [stateMachine.stateMachineArn],
      }),
    );
  }
}


/**
 * cdk-nag's finding for a grant to invoke `fn` and its versions: CDK's `grantInvoke` allows the
 * function's ARN and `<ARN>:*`, which the IAM5 rule reports as a wildcard resource.
 */
export function invokeVersionsFinding(fn: AppFunction): string {
  const functionId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  return `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`;
}

/**
 * cdk-nag's finding for a grant on every execution of `stateMachine`, made to a function of the
 * state machine's own stack: `grantExecution` allows `arn:…:execution:<state machine name>:*`,
 * the name cut from the state machine's ARN, which the IAM5 rule reports as a wildcard resource.
 */
function executionsFinding(stateMachine: IStateMachine): string {
  const stateMachineId = Stack.of(stateMachine).getLogicalId(stateMachine.node.defaultChild as CfnElement);
  const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stateMachineId}"}]}]}`;
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`;
}
