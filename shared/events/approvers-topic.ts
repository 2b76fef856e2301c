import type { SNSClient } from '@aws-sdk/client-sns';
import { approversTopicArn } from '../config';
import { logger } from '../logger';
import type { CallOptions } from '../workflow/step-functions';

type Sdk = typeof import('@aws-sdk/client-sns');
let loaded: Promise<{ client: SNSClient; sdk: Sdk }> | undefined;

/** The SNS client, loaded on first use (only the relay notifies). */
const sns = () => (loaded ??= import('@aws-sdk/client-sns').then((sdk) => ({ client: new sdk.SNSClient({}), sdk })));

/**
 * Publishes a notification to the approvers' topic (e-mailed to each subscribed approver), and
 * logs it: locally, the log of `npm start` is where approvers read it.
 */
export async function notifyApprovers(notice: { subject: string; message: string }, options: CallOptions = {}): Promise<void> {
  const { client, sdk } = await sns();
  const answer = await client.send(new sdk.PublishCommand({ TopicArn: approversTopicArn(), Subject: notice.subject, Message: notice.message }), options);
  logger.info('Approvers notified', { subject: notice.subject, notification: notice.message, sns_message_id: answer.MessageId });
}
