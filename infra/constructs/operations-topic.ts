import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperationsTopicProps {
  /** One e-mail subscription each (`-c opsEmails`); every address confirms it from the e-mail AWS sends. */
  emails: readonly string[];
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * Where the alarms tell people: an SNS topic, encrypted and refusing publishers without TLS,
 * with an e-mail subscription per operator address.
 *
 * The topic has a key of its own (about $1 a month): CloudWatch alarms cannot publish to a topic
 * under the AWS managed SNS key, whose policy cannot be changed to let CloudWatch use it.
 */
export class OperationsTopic extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, { emails }: OperationsTopicProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'Encrypts the messages of the TokenStocks operations topic',
      enableKeyRotation: true,
      // It protects messages only while SNS delivers them; nothing at rest depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // A dedicated key: CloudWatch may use it for this topic only; the topic policy below says which alarms may publish.
    key.grant(new ServicePrincipal(CLOUDWATCH), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topic = new Topic(this, 'Topic', { displayName: 'TokenStocks operations', masterKey: key, enforceSSL: true });
    const stack = Stack.of(this);
    // Only alarms of this account and region may publish (CloudWatch's advice against the confused deputy).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(CLOUDWATCH)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    for (const email of emails) this.topic.addSubscription(new EmailSubscription(email));
    this.action = new SnsAction(this.topic);
  }

  /** E-mails the operators when `alarm` goes off, and again when it clears. */
  notify(alarm: Alarm): void {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
  }
}
