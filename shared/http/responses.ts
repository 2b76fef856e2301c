import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../logger';
import { jsonOf } from './json-body';
import { toProblemResponse } from './problem-details';

// What every HTTP handler answers with, whichever wrapper built it (handler.ts, public-handler.ts):
// nothing here loads the database.

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface HttpResult<Body = unknown, Status extends number = number> {
  status: Status;
  body?: Body;
  headers?: Record<string, string>;
}

export const ok = <Body>(body: Body): HttpResult<Body, 200> => ({ status: 200, body });
export const created = <Body>(body: Body, location?: string): HttpResult<Body, 201> => ({
  status: 201,
  body,
  ...(location === undefined ? {} : { headers: { location } }),
});
export const accepted = <Body>(body: Body): HttpResult<Body, 202> => ({ status: 202, body });

/** A text body sent as it is (e.g. CSV), with its content type. */
export const text = (body: string, contentType: string, headers: Record<string, string> = {}): HttpResult<string, 200> => ({
  status: 200,
  body,
  headers: { 'content-type': contentType, ...headers },
});

/** The API Gateway answer of a handler's result: JSON, or a text body as it is. */
export function toResponse(result: HttpResult): ApiResult {
  const raw = typeof result.body === 'string' && result.headers?.['content-type'] !== undefined;
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: result.body === undefined ? '' : raw ? (result.body as string) : jsonOf(result.body),
  };
}

/** Maps every error to RFC 9457 Problem Details; only deliberate errors show their message. */
export const problemDetails = (): MiddlewareObj<ApiEvent, ApiResult> => ({
  onError: (request) => {
    const { response, exposed } = toProblemResponse(request.error, request.event.rawPath);
    // A deliberate 5xx (503: the database is resuming) is worth an operator's attention.
    if (exposed) logger[(response.statusCode ?? 500) >= 500 ? 'warn' : 'info']('Request refused', { status: response.statusCode, reason: request.error?.message });
    else logger.error('Unhandled error', request.error as Error);
    request.response = response;
  },
});
