import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FlowLogDestination, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type QueueName, queues, visibilityTimeoutSecondsOf } from '../../functions/workers';
import { MAX_RECEIVE_COUNT } from '../../shared/queue/queues';
import type { StageConfig } from '../config';
import { Database } from '../constructs/database';
import { Identity } from '../constructs/identity';
import { ApproversTopic } from '../constructs/approvers-topic';
import { OperationsTopic } from '../constructs/operations-topic';
import { WorkQueue } from '../constructs/work-queue';
import { pascalCase } from '../naming';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/**
 * What holds data and outlives deployments of code: the database, the work queues and the
 * user pool, the operations topic the alarms of both stacks notify, the event bus integrators'
 * rules attach to and the approvers' topic. Deployed first and rarely changed.
 */
export class StatefulStack extends Stack {
  readonly database: Database;
  readonly queues: Record<QueueName, WorkQueue>;
  readonly identity: Identity;
  readonly operations: OperationsTopic;
  readonly eventBus: EventBus;
  readonly approvers: ApproversTopic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Isolated subnets only: the database needs a VPC, nothing in it needs the internet (no NAT to pay for).
    const vpc = new Vpc(this, 'Network', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'database', subnetType: SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addFlowLog('FlowLogs', {
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogGroup', config.logs),
      ),
    });

    this.operations = new OperationsTopic(this, 'Operations', { emails: config.opsEmails });
    this.approvers = new ApproversTopic(this, 'Approvers', { emails: config.approverEmails });
    // Named, so that integrators' rules name it: one bus per stage, every event of docs/events/ on it.
    this.eventBus = new EventBus(this, 'Events', {
      eventBusName: `tokenstocks-${config.stage}`,
      description: `TokenStocks ${config.stage}: domain events (source tokenstocks.capital-engine)`,
    });
    this.database = new Database(this, 'Database', { vpc, config });
    this.queues = Object.fromEntries(
      (Object.keys(queues) as QueueName[]).map((name) => [
        name,
        new WorkQueue(this, `${pascalCase(name)}Queue`, {
          visibilityTimeout: Duration.seconds(visibilityTimeoutSecondsOf(name)),
          maxReceiveCount: MAX_RECEIVE_COUNT,
          operations: this.operations,
        }),
      ]),
    ) as Record<QueueName, WorkQueue>;
    this.identity = new Identity(this, 'Identity', {
      removalPolicy: config.usersRemovalPolicy,
      deletionProtection: config.production,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId });
    new CfnOutput(this, 'DatabaseClusterArn', { value: this.database.cluster.clusterArn });
    new CfnOutput(this, 'DatabaseSecretArn', { value: this.database.secret.secretArn });
    new CfnOutput(this, 'DatabaseName', { value: this.database.name });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.eventBus.eventBusArn });
    new CfnOutput(this, 'ApproversTopicArn', { value: this.approvers.topic.topicArn });
  }
}
