import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperationsTopic } from './operations-topic';

export interface WorkQueueProps {
  /** At least six times the timeout of the slowest function it feeds, so a message is not redelivered mid-run. */
  visibilityTimeout: Duration;
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Told when a message lands in the dead-letter queue. */
  operations: OperationsTopic;
}

/** A queue of work with its dead-letter queue, and an alarm to the operators as soon as anything lands there. */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, { visibilityTimeout, maxReceiveCount, operations }: WorkQueueProps) {
    super(scope, id);
    this.maxReceiveCount = maxReceiveCount;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: `Messages of ${id} failed ${maxReceiveCount} times and wait in its dead-letter queue`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    operations.notify(this.deadLetterAlarm);
  }
}
