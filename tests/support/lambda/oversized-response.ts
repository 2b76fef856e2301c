import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Test function: answers a JSON payload of exactly `payload_bytes` bytes once serialised. */
export async function handler(event: APIGatewayProxyEventV2): Promise<{ statusCode: number; body: string }> {
  const bytes = Number(event.queryStringParameters?.payload_bytes ?? 0);
  const overhead = JSON.stringify({ statusCode: 200, body: '' }).length;
  return { statusCode: 200, body: 'x'.repeat(bytes - overhead) };
}
