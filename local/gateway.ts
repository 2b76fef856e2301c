import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import FindMyWay from 'find-my-way';
import type { JWTPayload } from 'jose';
import type { ThrottleSettings } from '../infra/api-throttle';
import { routes as routeTable } from '../functions/routes';
import type { RouteDefinition } from '../shared/http/route';
import {
  MAX_BODY_BYTES,
  MAX_INVOCATION_REQUEST_BYTES,
  REQUEST_TOO_LARGE,
  ROUTE_NOT_FOUND,
  TOO_MANY_REQUESTS,
  unauthorized,
} from './gateway-answers';
import { type HttpResponse, httpResponseOf, INTEGRATION_FAILURE } from './http-api-response';
import type { LocalIdentityProvider } from './jwt';
import { API_FUNCTION_TIMEOUT_SECONDS, type LambdaFunction, routeFunction } from './lambda/functions';
import type { LambdaRuntime } from './lambda/runtime';
import { routeThrottle } from './throttle';

/**
 * API Gateway's HTTP API JWT authorizer hands claims to the integration as strings, with arrays
 * flattened to `[a b]`. The local gateway does the same so handlers parse one format.
 */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

/** The request's body, or 'too large' past the HTTP API's quota (read to its end all the same, so the client reads the answer). */
async function readBody(request: IncomingMessage): Promise<string | undefined | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) return 'too large';
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

export function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]),
  );
}

function queryOf(url: URL): Record<string, string> | undefined {
  if ([...url.searchParams.keys()].length === 0) return undefined;
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

/** Every answer carries its request id, the gateway's own answers included, as on AWS. */
function send(response: ServerResponse, result: HttpResponse, requestId: string): void {
  response.writeHead(result.statusCode, { ...result.headers, 'apigw-requestid': requestId });
  response.end(result.body);
}

/** The token's claims, or why it is refused ('missing': there is none). */
async function verifiedClaims(identity: LocalIdentityProvider, authorization: string | undefined) {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return { refusal: 'missing' } as const;
  try {
    return { claims: flattenClaims(await identity.verify(token)) };
  } catch (error) {
    return { refusal: (error as Error).message || 'the token is not valid' };
  }
}

export interface GatewayRequest {
  request: IncomingMessage;
  url: URL;
  route: RouteDefinition;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: string | undefined;
  /** The verified token's claims; undefined on a public route. */
  claims: Record<string, string> | undefined;
  requestId: string;
}

/** The payload v2 event API Gateway's HTTP API hands the route's function. */
export function apiGatewayEvent(gatewayRequest: GatewayRequest): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, url, route, params, headers, body, claims, requestId } = gatewayRequest;
  const routeKey = `${route.method} ${route.path}`;
  const now = new Date();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: queryOf(url),
    pathParameters: Object.keys(params).length === 0 ? undefined : params,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
  };
  if (claims === undefined) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  return event;
}

export interface GatewayOptions {
  identity: LocalIdentityProvider;
  /** Where the routes' functions run. */
  runtime: LambdaRuntime;
  /** The routes to serve (default: every route of functions/routes/index.ts). */
  routes?: Record<string, RouteDefinition>;
  /** The functions' timeout (default: 29 s, as infrastructure sets it). */
  timeoutSeconds?: number;
  /** Each route's rate and burst, as the stage's default route throttling (default: none). */
  throttle?: ThrottleSettings;
}

/**
 * Serves every route of the table the way API Gateway (HTTP API, payload v2) would: it matches
 * the route, throttles it, verifies the bearer token for non-public routes, builds the same
 * event, invokes the route's function in the local Lambda runtime and answers as API Gateway
 * reads its result. What API Gateway answers by itself it answers the same way (./gateway-answers.ts).
 */
export function createGateway({
  identity,
  runtime,
  routes = routeTable,
  timeoutSeconds = API_FUNCTION_TIMEOUT_SECONDS,
  throttle,
}: GatewayOptions): Server {
  const throttled = throttle === undefined ? undefined : routeThrottle(throttle);
  // API Gateway matches a path parameter of any length and lets the function refuse it (a 400
  // naming it); find-my-way's default is no route past 100 characters.
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 10_000 });
  for (const route of Object.values(routes)) {
    const fn = routeFunction(route, timeoutSeconds);
    router.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), () => {}, { route, fn });
  }

  return createServer(async (request, response) => {
    const requestId = randomUUID();
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = router.find(request.method as 'GET', url.pathname);
      if (match === null) {
        request.resume();
        send(response, ROUTE_NOT_FOUND, requestId);
        return;
      }
      const { route, fn } = match.store as { route: RouteDefinition; fn: LambdaFunction };
      const routeKey = `${route.method} ${route.path}`;
      if (throttled !== undefined && !throttled.admits(routeKey)) {
        request.resume();
        send(response, TOO_MANY_REQUESTS, requestId);
        return;
      }
      const headers = headersOf(request);
      const body = await readBody(request);
      if (body === 'too large') {
        send(response, REQUEST_TOO_LARGE, requestId);
        return;
      }

      let claims: Record<string, string> | undefined;
      if (route.access !== 'public') {
        const verified = await verifiedClaims(identity, headers.authorization);
        if (verified.claims === undefined) {
          send(response, unauthorized(verified.refusal === 'missing' ? undefined : verified.refusal), requestId);
          return;
        }
        claims = verified.claims;
      }

      const event = apiGatewayEvent({ request, url, route, params: match.params as Record<string, string>, headers, body, claims, requestId });
      if (Buffer.byteLength(JSON.stringify(event)) > MAX_INVOCATION_REQUEST_BYTES) {
        send(response, REQUEST_TOO_LARGE, requestId);
        return;
      }

      const invocation = await runtime.invoke(fn, event);
      if (!invocation.ok) console.error(`[gateway] ${routeKey}: ${fn.name} failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}`);
      send(response, httpResponseOf(invocation), requestId);
    } catch (error) {
      // The local gateway itself failed: answered as an integration failure, which is what a client of the HTTP API could see.
      console.error('[gateway]', error);
      send(response, INTEGRATION_FAILURE, requestId);
    }
  });
}
