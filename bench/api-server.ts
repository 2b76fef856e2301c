import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createGateway } from '../local/gateway';
import { localIdentityProvider } from '../local/jwt';
import { createLambdaRuntime } from '../local/lambda/runtime';

/**
 * Child process for the API benchmark: the local gateway (JWT check, API Gateway event, the
 * route's handler module) and, beside it, a bare `pg` server answering the same page of the same
 * rows with one SELECT. Both share this process and its database, so only the stack differs.
 * Prints `{ gateway, bare, token }` and serves until killed.
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
const bare = createServer((request, response) => {
  const eventId = /^\/api\/distributions\/([^/]+)\/allocations/.exec(request.url ?? '')?.[1];
  pool.query(ALLOCATIONS_PAGE, [eventId]).then(
    ({ rows }) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ items: rows }));
    },
    (error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    },
  );
});

const runtime = createLambdaRuntime();
const urls = { gateway: await listen(createGateway({ identity, runtime })), bare: await listen(bare), token };
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => {
  void Promise.all([pool.end(), runtime.stop(), rm(keyDir, { recursive: true, force: true })]).finally(() => process.exit(0));
});
