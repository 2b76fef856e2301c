import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { recordWrite } from './writes';

interface TestMessage {
  tag: string;
  /** Sleep this long on the first delivery only, before writing. */
  first_delivery_sleep_ms?: number;
  /** Report this message as failed. */
  fail?: boolean;
  /** Report a failure naming no message of the batch. */
  report_unknown?: boolean;
}

/**
 * Test worker: writes a row per message (its tag and receive count), sleeping first when asked
 * to, and reports the failures its messages ask for.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const message = JSON.parse(record.body) as TestMessage;
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    if (receiveCount === 1 && message.first_delivery_sleep_ms !== undefined) await sleep(message.first_delivery_sleep_ms);
    if (message.fail) failures.push({ itemIdentifier: record.messageId });
    else if (message.report_unknown) failures.push({ itemIdentifier: 'no-such-message' });
    else await recordWrite(message.tag, receiveCount);
  }
  return { batchItemFailures: failures };
}
