import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import FindMyWay from 'find-my-way';
import type { JWTPayload } from 'jose';
import { routes as routeTable } from '../functions/routes';
import { problemResponse } from '../shared/http/problem-details';
import type { RouteDefinition } from '../shared/http/route';
import { type HttpResponse, httpResponseOf } from './http-api-response';
import type { LocalIdentityProvider } from './jwt';
import { API_FUNCTION_TIMEOUT_SECONDS, type LambdaFunction, routeFunction } from './lambda/functions';
import type { LambdaRuntime } from './lambda/runtime';

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

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

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('payload too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

function headersOf(request: IncomingMessage): Record<string, string> {
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

function send(response: ServerResponse, result: HttpResponse): void {
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
}

const gatewayProblem = (status: number, title: string, detail: string): HttpResponse => {
  const { statusCode, headers, body } = problemResponse({ type: 'about:blank', title, status, detail });
  return { statusCode: statusCode ?? status, headers: headers as Record<string, string>, body: body ?? '' };
};

export interface GatewayOptions {
  identity: LocalIdentityProvider;
  /** Where the routes' functions run. */
  runtime: LambdaRuntime;
  /** The routes to serve (default: every route of functions/routes.ts). */
  routes?: Record<string, RouteDefinition>;
  /** The functions' timeout (default: 29 s, as infrastructure sets it). */
  timeoutSeconds?: number;
}

/**
 * Serves every route of the table the way API Gateway (HTTP API, payload v2) would: it matches
 * the route, verifies the bearer token for non-public routes, builds the same event, invokes the
 * route's function in the local Lambda runtime and answers as API Gateway reads its result.
 */
export function createGateway({ identity, runtime, routes = routeTable, timeoutSeconds = API_FUNCTION_TIMEOUT_SECONDS }: GatewayOptions): Server {
  // API Gateway matches a path parameter of any length and lets the function refuse it (a 400
  // naming it); find-my-way's default is no route past 100 characters.
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 10_000 });
  for (const route of Object.values(routes)) {
    const fn = routeFunction(route, timeoutSeconds);
    router.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), () => {}, { route, fn });
  }

  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = router.find(request.method as 'GET', url.pathname);
      if (match === null) {
        send(response, gatewayProblem(404, 'Not Found', `No route for ${request.method} ${url.pathname}`));
        return;
      }
      const { route, fn } = match.store as { route: RouteDefinition; fn: LambdaFunction };
      const headers = headersOf(request);
      const body = await readBody(request);

      let claims: Record<string, string> | undefined;
      if (route.access !== 'public') {
        const token = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
        const payload = token === undefined ? undefined : await identity.verify(token).catch(() => undefined);
        if (payload === undefined) {
          const unauthorized = gatewayProblem(401, 'Unauthorized', 'A valid bearer token is required');
          send(response, { ...unauthorized, headers: { ...unauthorized.headers, 'www-authenticate': 'Bearer' } });
          return;
        }
        claims = flattenClaims(payload);
      }

      const requestId = randomUUID();
      const routeKey = `${route.method} ${route.path}`;
      const now = new Date();
      const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
        version: '2.0',
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        queryStringParameters: queryOf(url),
        pathParameters: Object.keys(match.params).length === 0 ? undefined : (match.params as Record<string, string>),
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

      const invocation = await runtime.invoke(fn, event);
      if (!invocation.ok) console.error(`[gateway] ${routeKey}: ${fn.name} failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}`);
      const answer = httpResponseOf(invocation);
      send(response, { ...answer, headers: { ...answer.headers, 'apigw-requestid': requestId } });
    } catch (error) {
      const status = (error as { status?: number }).status === 413 ? 413 : 502;
      if (status === 502) console.error('[gateway]', error);
      send(response, gatewayProblem(status, status === 413 ? 'Payload Too Large' : 'Bad Gateway', 'The request could not be served'));
    }
  });
}
