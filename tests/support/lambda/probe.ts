import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** Set once per execution environment (module scope runs in Lambda's init phase). */
const environmentId = randomUUID();

/** Test function: tells which environment served it and what it saw there, after sleeping `sleep_ms`. */
export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  const remainingMs = context.getRemainingTimeInMillis();
  await sleep(Number(event.queryStringParameters?.sleep_ms ?? 0));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      environment_id: environmentId,
      probe: process.env.LAMBDA_PROBE ?? null,
      function_name: process.env.AWS_LAMBDA_FUNCTION_NAME ?? null,
      remaining_ms: remainingMs,
    }),
  };
}
