/**
 * What API Gateway's HTTP API answers by itself, without a route's function: a JSON object with
 * one `message`, as `application/json` (never the API's Problem Details, which only functions
 * write). The local gateway answers with these, so a client sees locally what it sees on AWS.
 *
 * Where each comes from:
 * - 401 `{"message":"Unauthorized"}` with `www-authenticate: Bearer scope="" error="invalid_token"
 *   error_description="…"` for a refused token: AWS's "Troubleshooting issues with HTTP API JWT
 *   authorizers" (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html).
 *   The descriptions here are jose's reasons, not AWS's wording; a request with no token gets a
 *   bare `Bearer` challenge.
 * - 404 `{"message":"Not Found"}` when no route matches the method and path: AWS's own emulator of
 *   the HTTP API, aws/aws-lambda-dotnet Tools/LambdaTestTool-v2 ResultExtensions.cs (RouteNotFoundAsync).
 * - 413 `{"message":"Request Entity Too Large"}`, `application/json`: the same emulator
 *   (InvokeResponseExtensions.ToHttpApiV2RequestTooLargeResponse), answered when Lambda refuses an
 *   invocation request over 6 MiB (its LambdaRuntimeAPI MaxRequestSize); the HTTP API takes no
 *   payload over 10 MB at all ("Quotas for configuring and running an HTTP API").
 * - 429 `{"message":"Too Many Requests"}` past a route's rate and burst: "Throttling requests to
 *   your HTTP API" (the status, the token bucket); the body as API Gateway's other throttled answers.
 * - 500 `{"message":"Internal Server Error"}` when the integration fails: ./http-api-response.ts.
 */
import type { HttpResponse } from './http-api-response';

export const gatewayAnswer = (status: number, message: string, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ message }),
});

export const ROUTE_NOT_FOUND = gatewayAnswer(404, 'Not Found');
export const TOO_MANY_REQUESTS = gatewayAnswer(429, 'Too Many Requests');
export const REQUEST_TOO_LARGE = gatewayAnswer(413, 'Request Entity Too Large');

/** No token: a bare challenge. A refused one: why, as the JWT authorizer writes it. */
export function unauthorized(refusal?: string): HttpResponse {
  const challenge = refusal === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${refusal.replace(/["\\]/g, "'")}"`;
  return gatewayAnswer(401, 'Unauthorized', { 'www-authenticate': challenge });
}

/** The HTTP API's payload quota: 10 MB, a body longer is refused before any function runs. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Lambda's limit on a synchronous invocation's request: the event, as JSON. */
export const MAX_INVOCATION_REQUEST_BYTES = 6 * 1024 * 1024;
