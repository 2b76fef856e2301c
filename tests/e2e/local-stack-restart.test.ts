import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOrphanedPostmaster } from '../../local/orphaned-postmaster';

const ROOT = resolve(import.meta.dirname, '../..');
// Node with tsx as its loader, in one process: a SIGKILL to it is a kill -9 of the stack.
const NODE_WITH_TSX = [process.execPath, '--disable-warning=ExperimentalWarning', '--import', 'tsx'] as const;
const ADMIN = '11111111-1111-4111-8111-111111111111';
const LP = '22222222-2222-4222-8222-222222222222';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('condition not met in time');
}

let dataDir = '';
let env: Record<string, string> = {};
let stack: ChildProcess | undefined;
/** Everything the stacks printed. */
let output = '';

/** `npm start` as a child process on this test's DATA_DIR and ports; resolves once the API is served. */
async function startStack(): Promise<ChildProcess> {
  // A process group of its own, as a terminal gives npm start: the group can be killed as one.
  const child = spawn(NODE_WITH_TSX[0], [...NODE_WITH_TSX.slice(1), 'local/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    output += chunk.toString();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the local stack exited (${code}):\n${log}`);
  });
  await Promise.race([until(async () => (log.includes('api       http://') ? true : undefined), 60_000), exited]);
  exited.catch(() => {});
  return child;
}

/** `npm run token`: a bearer token from the local identity provider under DATA_DIR. */
async function token(role: 'admin' | 'lp', sub: string, email: string): Promise<string> {
  const { stdout } = await promisify(execFile)(NODE_WITH_TSX[0], [...NODE_WITH_TSX.slice(1), 'local/token.ts', '--role', role, '--sub', sub, '--email', email], {
    cwd: ROOT,
    env,
  });
  return stdout.trim();
}

function client(port: number, bearer: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return { get: (path: string) => call('GET', path), post: (path: string, body?: unknown) => call('POST', path, body) };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-e2e-'));
  // As root, Postgres runs as the postgres user, which must reach DATA_DIR/postgres.
  await chmod(dataDir, 0o755);
  const [port, pgPort, sqsPort, sfnPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    DATA_DIR: dataDir,
    PORT: String(port),
    PG_PORT: String(pgPort),
    SQS_PORT: String(sqsPort),
    SFN_PORT: String(sfnPort),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
});

afterAll(async () => {
  if (stack !== undefined && stack.exitCode === null && stack.signalCode === null) {
    stack.kill('SIGTERM');
    await once(stack, 'exit');
  }
  await stopOrphanedPostmaster(join(dataDir, 'postgres'));
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start, killed with a redemption awaiting approval', () => {
  it('comes back on the same DATA_DIR with the approval still waiting: approved, then completed', { timeout: 90_000 }, async () => {
    // Prepare: the README's walkthrough, up to a redemption awaiting approval
    stack = await startStack();
    const port = Number(env.PORT);
    const admin = client(port, await token('admin', ADMIN, 'admin@example.com'));
    const lp = client(port, await token('lp', LP, 'lp@example.com'));
    expect((await admin.post('/api/users', { id: LP, email: 'lp@example.com', role: 'lp' })).status).toBe(201);
    const project = (await admin.post('/api/projects', { name: 'Lagos Solar' })).body.id as string;
    await admin.post(`/api/projects/${project}/lp-tokens`, { kind: 'issue', holder_id: LP, amount: '1000', effective_at: '2026-01-01T00:00:00Z' });
    await admin.post('/api/wallets', { address: '0xpool', wallet_type: 'treasury', min_reserve_threshold: '500' });
    await admin.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000.10' });
    await admin.post(`/api/projects/${project}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const requested = await lp.post('/api/redemptions', { project_id: project, tokens_amount: '200' });
    const id = requested.body.id as string;
    const waiting = await until(async () => {
      const read = await lp.get(`/api/redemptions/${id}`);
      return read.body.status === 'awaiting_approval' ? read.body : undefined;
    });

    // Act: kill -9, start again on the same DATA_DIR, approve
    stack.kill('SIGKILL');
    await once(stack, 'exit');
    stack = await startStack();
    const approved = await admin.post(`/api/redemptions/${id}/approve`);
    const completed = await until(async () => {
      const read = await lp.get(`/api/redemptions/${id}`);
      return read.body.status === 'completed' ? read.body : undefined;
    });

    // Assess
    expect(requested.status).toBe(202);
    expect(waiting.redemption_value_ngnts).toBe('250.00');
    expect(approved).toMatchObject({ status: 200, body: { status: 'processing' } });
    expect(completed.tx_hashes).toEqual([expect.objectContaining({ wallet: '0xpool', amount_ngnts: '250.00' })]);
    expect((await admin.get(`/api/projects/${project}/holders`)).body.items).toEqual([expect.objectContaining({ balance: '800.0000000' })]);
    expect((await admin.get('/api/treasury/balance')).body.balance).toBe('750.10');
    expect(output).toContain('stopping the postmaster');
  });

  it('comes back after its whole process group was killed, Postgres with it', { timeout: 60_000 }, async () => {
    // Prepare
    if (stack === undefined || stack.exitCode !== null || stack.signalCode !== null) stack = await startStack();
    const admin = client(Number(env.PORT), await token('admin', ADMIN, 'admin@example.com'));

    // Act: postmaster.pid is left naming a dead postmaster (a zombie until it is reaped)
    process.kill(-(stack.pid ?? 0), 'SIGKILL');
    await once(stack, 'exit');
    stack = await startStack();

    // Assess
    expect((await admin.get('/api/redemptions')).status).toBe(200);
  });
});
