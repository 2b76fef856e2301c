import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Db } from '../shared/db/client';
import { Decimal } from '../shared/decimal';
import { advanceCalculation } from '../shared/distributions/calculation/calculate-allocations';
import { createDistributionEvent } from '../shared/distributions/create-event';
import { requestCalculation } from '../shared/distributions/request-calculation';
import { BENCH_RECORD_DATE, seedProjectHolders } from './seed';

/**
 * `rps`, `p99_ms`, `cpu_us` are the route's handler run in process, as Lambda runs it; `bare_*` one
 * pg SELECT of the same rows; `gateway_*` the local gateway and runtime (worker threads), kept
 * beside them for what the local stack adds. `cpu_ratio` (handler / bare CPU per request) is the
 * target figure: CPU time does not depend on the load generator sharing the cores.
 */
export interface ApiFigures {
  connections: number;
  seconds: number;
  rps: number;
  p99_ms: number;
  cpu_us: number;
  bare_rps: number;
  bare_p99_ms: number;
  bare_cpu_us: number;
  ratio: number;
  cpu_ratio: number;
  gateway_rps: number;
  gateway_p99_ms: number;
  gateway_cpu_us: number;
  errors: number;
}

const CONNECTIONS = 50;

type ServerName = 'handler' | 'gateway' | 'bare';

interface Servers extends Record<ServerName, string> {
  usage: string;
  token: string;
  stop(): Promise<void>;
}

interface Usage {
  cpu_us: number;
  requests: Partial<Record<ServerName, number>>;
}

/** Starts bench/api-server.ts in a child process, so the load generator never shares its event loop. */
async function startServers(env: Record<string, string>): Promise<Servers> {
  const child = spawn(process.execPath, [...(process.env.BENCH_API_NODE_FLAGS?.split(' ') ?? []), '--import', 'tsx', resolve(import.meta.dirname, 'api-server.ts')], {
    env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_, fail) => child.on('exit', (code) => fail(new Error(`API server exited ${code}`))));
  const firstLine = new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
  const urls = JSON.parse(await Promise.race([firstLine, exited])) as Omit<Servers, 'stop'>;
  // Waited for: the server's pool must close before the bench stops Postgres under it.
  const ended = new Promise<void>((done) => child.once('exit', () => done()));
  return { ...urls, stop: () => (child.kill('SIGTERM'), ended) };
}

/** A calculated event of `holders` allocations, calculated in process (when the allocation benchmark is skipped). */
async function seedCalculatedEvent(db: Db, holders: number, progress: (step: string) => void) {
  progress(`seeding ${holders.toLocaleString()} holders for the API benchmark`);
  const { projectId, adminId } = await seedProjectHolders(db, holders);
  const admin = { id: adminId, email: 'admin@bench.invalid', name: null, role: 'admin' as const };
  const meta = { requestId: 'bench', sourceIp: null, userAgent: 'bench' };
  const input = { project_id: projectId, event_type: 'revenue' as const, title: 'Bench', total_amount: new Decimal('1000000'), distribution_date: BENCH_RECORD_DATE };
  const event = await createDistributionEvent(db, admin, input, meta);
  await requestCalculation(db, admin, event.row.id, meta);
  while ((await advanceCalculation(db, event.row.id, { chunkSize: 20_000, hasTimeLeft: () => true })) === 'paused');
}

const usageOf = async (servers: Servers) => (await (await fetch(servers.usage)).json()) as Usage;

/** Load on one server: req/s and p99 as the client saw them, and the server process's CPU time per request it answered. */
async function load(servers: Servers, name: ServerName, path: string, seconds: number) {
  const before = await usageOf(servers);
  const result = await autocannon({ url: `${servers[name]}${path}`, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${servers.token}` } });
  const after = await usageOf(servers);
  const answered = (after.requests[name] ?? 0) - (before.requests[name] ?? 0);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUs: Math.round((after.cpu_us - before.cpu_us) / Math.max(answered, 1)),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * One page of an event's allocations (100 per page, as an admin) from the route's handler (in
 * process, as Lambda runs it, and through the local gateway) against a bare `pg` SELECT of the
 * same rows, each under 50 connections, one after another.
 */
export async function benchApi(db: Db, seconds: number, progress: (step: string) => void): Promise<ApiFigures> {
  const calculatedEvent = () => sql<{ id: string; admin: string }>`
    SELECT id, created_by AS admin FROM distribution_events WHERE status = 'calculated' ORDER BY created_at LIMIT 1`.execute(db);
  if ((await calculatedEvent()).rows.length === 0) await seedCalculatedEvent(db, 10_000, progress);
  const event = (await calculatedEvent()).rows[0];
  if (event === undefined) throw new Error('no calculated event to read');
  // Fresh statistics for the allocations just written, as autovacuum would give them in service.
  await sql`ANALYZE`.execute(db);
  const servers = await startServers({ BENCH_ADMIN_ID: event.admin });
  try {
    const path = `/api/distributions/${event.id}/allocations?limit=100`;
    const label = path.replace(event.id, '{id}');
    progress('warming up');
    for (const name of ['handler', 'gateway', 'bare'] as const) await load(servers, name, path, 2);
    progress(`GET ${label}: the route's handler in process, ${CONNECTIONS} connections, ${seconds} s`);
    const handler = await load(servers, 'handler', path, seconds);
    progress(`the same through the local gateway and Lambda runtime, ${CONNECTIONS} connections, ${seconds} s`);
    const gateway = await load(servers, 'gateway', path, seconds);
    progress(`the same rows from a bare pg SELECT, ${CONNECTIONS} connections, ${seconds} s`);
    const bare = await load(servers, 'bare', path, seconds);
    return {
      connections: CONNECTIONS,
      seconds,
      rps: Math.round(handler.rps),
      p99_ms: handler.p99,
      cpu_us: handler.cpuUs,
      bare_rps: Math.round(bare.rps),
      bare_p99_ms: bare.p99,
      bare_cpu_us: bare.cpuUs,
      ratio: Number((bare.rps / handler.rps).toFixed(2)),
      cpu_ratio: Number((handler.cpuUs / bare.cpuUs).toFixed(2)),
      gateway_rps: Math.round(gateway.rps),
      gateway_p99_ms: gateway.p99,
      gateway_cpu_us: gateway.cpuUs,
      errors: handler.errors + gateway.errors + bare.errors,
    };
  } finally {
    await servers.stop();
  }
}
