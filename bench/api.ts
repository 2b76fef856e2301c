import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Db } from '../shared/db/client';
import { Decimal } from '../shared/decimal';
import { calculateAllocations } from '../shared/distributions/calculation/calculate-allocations';
import { createDistributionEvent } from '../shared/distributions/create-event';
import { requestCalculation } from '../shared/distributions/request-calculation';
import { BENCH_RECORD_DATE, seedProjectHolders } from './seed';

/**
 * `cpu_us`, `bare_cpu_us` and `cpu_ratio` (handler / bare CPU per request, the target figure) are
 * taken with one request at a time (`cpu_connections`), the two sides in turn
 * (cpuPerRequestInTurn): a Lambda execution environment serves one request at a time, and Lambda
 * scales by adding environments (processes), so one request at a time is what each request costs
 * there. CPU time does not depend on the load generator sharing
 * the cores. `rps`, `p99_ms` (the handler) and `bare_*` are under `connections` at once, and
 * `shared_cpu_ratio` is the CPU ratio at that load in one process (no Lambda runs that: the
 * pages in flight at once make its garbage collection grow). `gateway_*` is the local gateway
 * and runtime (worker threads), kept beside them for what the local stack adds.
 */
export interface ApiFigures {
  connections: number;
  cpu_connections: number;
  seconds: number;
  rps: number;
  p99_ms: number;
  cpu_us: number;
  bare_rps: number;
  bare_p99_ms: number;
  bare_cpu_us: number;
  ratio: number;
  cpu_ratio: number;
  shared_cpu_ratio: number;
  gateway_rps: number;
  gateway_p99_ms: number;
  gateway_cpu_us: number;
  /** The same CPU figures, one request at a time, with the handler and the bare SELECT reading through the Data API emulator (absent when not asked). */
  data_api?: { cpu_us: number; bare_cpu_us: number; cpu_ratio: number };
  errors: number;
}

const CONNECTIONS = 50;
/** One Lambda execution environment's concurrency. */
const CPU_CONNECTIONS = 1;

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
async function startServers(env: Record<string, string | undefined>): Promise<Servers> {
  const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' }).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [...(process.env.BENCH_API_NODE_FLAGS?.split(' ') ?? []), '--import', 'tsx', resolve(import.meta.dirname, 'api-server.ts')], {
    env: childEnv,
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
  while ((await calculateAllocations(db, event.row.id, { chunkSize: 20_000, hasTimeLeft: () => true })) === 'paused');
}

const usageOf = async (servers: Servers) => (await (await fetch(servers.usage)).json()) as Usage;

/** Load on one server: req/s and p99 as the client saw them, and the server process's CPU time per request it answered. */
async function load(servers: Servers, name: ServerName, path: string, seconds: number, connections = CONNECTIONS) {
  const before = await usageOf(servers);
  const result = await autocannon({ url: `${servers[name]}${path}`, connections, duration: seconds, headers: { authorization: `Bearer ${servers.token}` } });
  const after = await usageOf(servers);
  const answered = (after.requests[name] ?? 0) - (before.requests[name] ?? 0);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUs: Math.round((after.cpu_us - before.cpu_us) / Math.max(answered, 1)),
    cpuTotalUs: after.cpu_us - before.cpu_us,
    answered,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** How many turns each of the one-at-a-time CPU figures is taken in. */
const CPU_ROUNDS = 5;

/**
 * The handler's and the bare SELECT's CPU per request, one request at a time, measured in turn
 * (CPU_ROUNDS rounds of `seconds / CPU_ROUNDS` each, pooled) rather than in one window after the
 * other, so that a drift of the machine (another process, frequency, the page cache) weighs on
 * both sides alike.
 */
async function cpuPerRequestInTurn(servers: Servers, path: string, seconds: number) {
  const pooled = { handler: { cpu: 0, answered: 0, errors: 0 }, bare: { cpu: 0, answered: 0, errors: 0 } };
  for (let round = 0; round < CPU_ROUNDS; round += 1) {
    for (const name of ['handler', 'bare'] as const) {
      const run = await load(servers, name, path, seconds / CPU_ROUNDS, CPU_CONNECTIONS);
      pooled[name].cpu += run.cpuTotalUs;
      pooled[name].answered += run.answered;
      pooled[name].errors += run.errors;
    }
  }
  const perRequest = (side: { cpu: number; answered: number }) => Math.round(side.cpu / Math.max(side.answered, 1));
  const handler = perRequest(pooled.handler);
  const bare = perRequest(pooled.bare);
  return { handler, bare, ratio: Number((handler / bare).toFixed(2)), errors: pooled.handler.errors + pooled.bare.errors };
}

/**
 * One page of an event's allocations (100 per page, as an admin) from the route's handler (in
 * process, as Lambda runs it, and through the local gateway) against a bare `pg` SELECT of the
 * same rows, one after another: the handler and the bare SELECT one request at a time (CPU per
 * request) and under 50 connections (req/s, p99), the gateway under 50.
 */
export async function benchApi(
  db: Db,
  seconds: number,
  progress: (step: string) => void,
  dataApiEnv?: Record<string, string | undefined>,
): Promise<ApiFigures> {
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
    progress(`GET ${label}: the route's handler in process and a bare pg SELECT of the same rows, one request at a time, ${seconds} s each in ${CPU_ROUNDS} turns`);
    const alone = await cpuPerRequestInTurn(servers, path, seconds);
    progress(`the route's handler in process, ${CONNECTIONS} connections, ${seconds} s`);
    const handler = await load(servers, 'handler', path, seconds);
    progress(`the same through the local gateway and Lambda runtime, ${CONNECTIONS} connections, ${seconds} s`);
    const gateway = await load(servers, 'gateway', path, seconds);
    progress(`the same rows from a bare pg SELECT, ${CONNECTIONS} connections, ${seconds} s`);
    const bare = await load(servers, 'bare', path, seconds);
    const dataApi = dataApiEnv === undefined ? undefined : await benchOverDataApi({ ...dataApiEnv, BENCH_ADMIN_ID: event.admin }, path, seconds, progress);
    return {
      connections: CONNECTIONS,
      cpu_connections: CPU_CONNECTIONS,
      seconds,
      rps: Math.round(handler.rps),
      p99_ms: handler.p99,
      cpu_us: alone.handler,
      bare_rps: Math.round(bare.rps),
      bare_p99_ms: bare.p99,
      bare_cpu_us: alone.bare,
      ratio: Number((bare.rps / handler.rps).toFixed(2)),
      cpu_ratio: alone.ratio,
      shared_cpu_ratio: Number((handler.cpuUs / bare.cpuUs).toFixed(2)),
      gateway_rps: Math.round(gateway.rps),
      gateway_p99_ms: gateway.p99,
      gateway_cpu_us: gateway.cpuUs,
      ...(dataApi === undefined ? {} : { data_api: dataApi.figures }),
      errors: alone.errors + handler.errors + gateway.errors + bare.errors + (dataApi?.errors ?? 0),
    };
  } finally {
    await servers.stop();
  }
}

/**
 * The handler and the bare SELECT, one request at a time, in a child configured as a Lambda on the
 * Data API is (`env`, bench/data-api.ts): the emulator runs in the bench's own process, so the
 * child's CPU time is the function's side of each call only, as on AWS.
 */
async function benchOverDataApi(env: Record<string, string | undefined>, path: string, seconds: number, progress: (step: string) => void) {
  const servers = await startServers(env);
  try {
    for (const name of ['handler', 'bare'] as const) await load(servers, name, path, 2, CPU_CONNECTIONS);
    progress(`the route's handler and the same SELECT through the Data API emulator, one request at a time, ${seconds} s each in ${CPU_ROUNDS} turns`);
    const alone = await cpuPerRequestInTurn(servers, path, seconds);
    return { figures: { cpu_us: alone.handler, bare_cpu_us: alone.bare, cpu_ratio: alone.ratio }, errors: alone.errors };
  } finally {
    await servers.stop();
  }
}
