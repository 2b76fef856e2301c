import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ApproversTopicProps {
  /** One e-mail subscription each (`-c approverEmails`); every address confirms it from the e-mail AWS sends. */
  emails: readonly string[];
}

/**
 * Where approvers are told what waits for them (issue 12: a withdrawal or a redemption awaiting
 * approval, a cashflow awaiting verification, a proposal awaiting a second admin): an SNS topic,
 * encrypted and refusing publishers without TLS, with an e-mail subscription per approver. Only the
 * outbox relay publishes to it, through IAM (AppFunction.bindApproversTopic).
 *
 * Encrypted under SNS's AWS managed key: no AWS service publishes to it (unlike the operations
 * topic, which CloudWatch does, and so needs a key of its own).
 */
export class ApproversTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, { emails }: ApproversTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'TokenStocks approvals',
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    for (const email of emails) this.topic.addSubscription(new EmailSubscription(email));
  }
}
