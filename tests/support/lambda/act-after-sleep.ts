import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { recordWrite } from './writes';

/** Set once per execution environment (module scope runs in Lambda's init phase). */
const environmentId = randomUUID();

/**
 * Test function: sleeps `sleep_ms`, then writes a row tagged `tag` and, if `queue_url` is given,
 * sends a message there. Sleeping past its timeout, it shows that nothing after the deadline lands.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const { sleep_ms: sleepMs = '0', tag = 'act-after-sleep', queue_url: queueUrl } = event.queryStringParameters ?? {};
  await sleep(Number(sleepMs));
  await recordWrite(tag);
  if (queueUrl !== undefined) await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: tag }));
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ environment_id: environmentId }) };
}
