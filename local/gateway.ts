import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import FindMyWay from 'find-my-way';
import type { JWTPayload } from 'jose';
import { routes } from '../functions/routes';
import { problemResponse } from '../shared/http/problem-details';
import type { RouteDefinition } from '../shared/http/route';
import type { LocalIdentityProvider } from './jwt';
import { lambdaContext } from './lambda-context';

type LambdaHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const REPO_ROOT = resolve(import.meta.dirname, '..');

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

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(body);
}

const gatewayProblem = (status: number, title: string, detail: string) =>
  problemResponse({ type: 'about:blank', title, status, detail });

/**
 * Serves every route of the table the way API Gateway (HTTP API, payload v2) would: it matches
 * the route, verifies the bearer token for non-public routes, builds the same event and invokes
 * the route's handler module in process.
 */
export function createGateway({ identity }: { identity: LocalIdentityProvider }): Server {
  const router = FindMyWay({ ignoreTrailingSlash: false });
  for (const route of Object.values(routes) as RouteDefinition[]) {
    router.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), () => {}, { route });
  }
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const load = (route: RouteDefinition) => {
    let handler = handlers.get(route.handler);
    if (handler === undefined) {
      handler = import(pathToFileURL(resolve(REPO_ROOT, route.handler)).href).then((mod) => mod.handler as LambdaHandler);
      handlers.set(route.handler, handler);
    }
    return handler;
  };

  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = router.find(request.method as 'GET', url.pathname);
      if (match === null) {
        send(response, gatewayProblem(404, 'Not Found', `No route for ${request.method} ${url.pathname}`));
        return;
      }
      const { route } = match.store as { route: RouteDefinition };
      const headers = headersOf(request);
      const body = await readBody(request);

      let claims: Record<string, string> | undefined;
      if (route.access !== 'public') {
        const token = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
        const payload = token === undefined ? undefined : await identity.verify(token).catch(() => undefined);
        if (payload === undefined) {
          send(response, {
            ...gatewayProblem(401, 'Unauthorized', 'A valid bearer token is required'),
            headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
          });
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

      const handler = await load(route);
      const functionName = `local-${route.handler.replace(/[^a-zA-Z0-9]+/g, '-')}`;
      // API Gateway's integration timeout bounds the function's time.
      send(response, await handler(event, lambdaContext({ functionName, timeoutSeconds: 29, requestId })));
    } catch (error) {
      const status = (error as { status?: number }).status === 413 ? 413 : 502;
      if (status === 502) console.error('[gateway]', error);
      send(response, gatewayProblem(status, status === 413 ? 'Payload Too Large' : 'Bad Gateway', 'The request could not be served'));
    }
  });
}
