import { gatewayAnswer } from './gateway-answers';
import type { InvocationResult } from './lambda/runtime';

/** What the local gateway writes back to the client. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/**
 * What API Gateway's HTTP API answers when the Lambda integration fails: a function error (the
 * handler threw, timed out, or returned more than 6 MB) or a result it cannot read. API Gateway
 * treats all of them as internal errors.
 */
export const INTEGRATION_FAILURE: HttpResponse = gatewayAnswer(500, 'Internal Server Error');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The HTTP response API Gateway's HTTP API makes of a Lambda proxy integration's result
 * (payload format 2.0): a result with `statusCode` is read as `{statusCode, headers, cookies,
 * body, isBase64Encoded}`; any other JSON value becomes the body of a 200 with content type
 * application/json (a string as it is, anything else serialised).
 */
export function httpResponseOf(invocation: InvocationResult): HttpResponse {
  if (!invocation.ok) return INTEGRATION_FAILURE;
  const result = invocation.payload;
  if (!isObject(result) || !('statusCode' in result)) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result),
    };
  }
  const { statusCode, headers = {}, cookies = [], body = '', isBase64Encoded = false } = result;
  const wellFormed =
    Number.isInteger(statusCode) &&
    (statusCode as number) >= 100 &&
    (statusCode as number) <= 599 &&
    isObject(headers) &&
    Array.isArray(cookies) &&
    typeof body === 'string' &&
    typeof isBase64Encoded === 'boolean';
  if (!wellFormed) return INTEGRATION_FAILURE;
  const httpHeaders: HttpResponse['headers'] = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
  if (cookies.length > 0) httpHeaders['set-cookie'] = cookies.map(String);
  return { statusCode: statusCode as number, headers: httpHeaders, body: isBase64Encoded ? Buffer.from(body, 'base64') : body };
}
