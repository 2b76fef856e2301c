import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { sql } from 'kysely';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { routes } from '../functions/routes';
import { apiGatewayEvent, createGateway, flattenClaims, headersOf } from '../local/gateway';
import { localIdentityProvider } from '../local/jwt';
import { lambdaContext } from '../local/lambda-context';
import { createLambdaRuntime } from '../local/lambda/runtime';
import { closeDb, getDb } from '../shared/db/client';
import { uuid } from '../shared/db/sql-values';
import type { ApiEvent, ApiResult } from '../shared/http/handler';

/**
 * Child process for the API benchmark, three servers of the same page of the same rows:
 * - `handler`: the route's handler called in this process, as Lambda runs it, with the event API
 *   Gateway would hand it (claims verified once, as the authorizer does outside the function);
 * - `gateway`: the local gateway (JWT check, the local Lambda runtime's worker threads);
 * - `bare`: one `pg` SELECT and JSON.stringify, the physical limit.
 * All share this process and its database, so only the stack differs. `usage` answers the
 * process's CPU time (every thread's: getrusage) and each server's request count, which the load
 * generator turns into CPU per request. Prints `{ handler, gateway, bare, usage, token }` and
 * serves until killed.
 */
const ALLOCATIONS_PAGE = `
  SELECT a.id, a.distribution_event_id, e.title AS distribution_title, e.status AS distribution_status,
    e.distribution_date, a.project_id, p.name AS project_name, a.lp_token_holder_id, u.name AS holder_name,
    u.email AS holder_email, a.lp_tokens_held, a.ownership_percentage, a.allocated_amount, a.withdrawn_amount,
    a.pending_amount, a.available_amount, a.status, a.created_at
  FROM distribution_allocations a
  JOIN distribution_events e ON e.id = a.distribution_event_id
  JOIN projects p ON p.id = a.project_id
  JOIN users u ON u.id = a.lp_token_holder_id
  WHERE a.distribution_event_id = $1
  ORDER BY a.lp_token_holder_id LIMIT 100`;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const keyDir = await mkdtemp(join(tmpdir(), 'tokenstocks-bench-keys-'));
const identity = await localIdentityProvider(keyDir);
const adminId = process.env.BENCH_ADMIN_ID ?? '';
const token = await identity.sign({ sub: adminId, email: 'admin@bench.invalid', groups: ['admin'] });

// The same pool size the app's pg driver uses (DATABASE_POOL_SIZE, default 10).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
// Without DATABASE_URL the child runs as a Lambda on the Data API does (bench/data-api.ts): the bare
// read is then the same SELECT through the app's Data API client, as one statement.
const [pageBefore, pageAfter] = ALLOCATIONS_PAGE.split('$1');
const readPage = async (eventId: string): Promise<unknown[]> =>
  process.env.DATABASE_URL === undefined
    ? (await sql`${sql.raw(pageBefore ?? '')}${uuid(eventId)}${sql.raw(pageAfter ?? '')}`.execute(getDb())).rows
    : (await pool.query(ALLOCATIONS_PAGE, [eventId])).rows;
const bare = createServer((request, response) => {
  const eventId = /^\/api\/distributions\/([^/]+)\/allocations/.exec(request.url ?? '')?.[1] ?? '';
  readPage(eventId).then(
    (rows) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ items: rows }));
    },
    (error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    },
  );
});

const claims = flattenClaims(await identity.verify(token));
const route = routes.listDistributionAllocations;
const { handler: handle } = (await import(resolve(import.meta.dirname, '..', route.handler))) as { handler: (event: ApiEvent, context: Context) => Promise<ApiResult> };
const handler = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const id = /^\/api\/distributions\/([^/]+)\/allocations/.exec(url.pathname)?.[1] ?? '';
  const requestId = randomUUID();
  const event = apiGatewayEvent({ request, url, route, params: { id }, headers: headersOf(request), body: undefined, claims, requestId });
  handle(event, lambdaContext({ functionName: 'bench', requestId, timeoutSeconds: 29 })).then(
    (result) => {
      response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      response.end(result.body);
    },
    (error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    },
  );
});

const requests: Record<string, number> = {};
const counted = (name: string, server: Server) => server.on('request', () => (requests[name] = (requests[name] ?? 0) + 1));
const usage = createServer((_request, response) => {
  const { user, system } = process.cpuUsage();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ cpu_us: user + system, requests }));
});

const runtime = createLambdaRuntime();
const urls = {
  handler: await listen(counted('handler', handler)),
  gateway: await listen(counted('gateway', createGateway({ identity, runtime }))),
  bare: await listen(counted('bare', bare)),
  usage: await listen(usage),
  token,
};
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => {
  void Promise.all([pool.end(), closeDb(), runtime.stop(), rm(keyDir, { recursive: true, force: true })]).finally(() => process.exit(0));
});
