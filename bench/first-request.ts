/**
 * What a cold start costs up to the first answer, not only the import: a fresh `node` imports a
 * handler's bundle and answers one request against a real Postgres, reporting its own CPU time
 * (process.cpuUsage) after the import and after the answer. `npx tsx bench/first-request.ts [--runs 7]`.
 * Moving work from import to the first request flatters bench/bundles.ts' figure, not this one.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleHandlers } from '../infra/handler-bundles';
import { REPO_ROOT } from '../infra/paths';
import { startPostgres } from '../local/postgres';
import { createDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';

// Imports the bundle, answers the event once, and prints the CPU time (µs) after each and the answer's status.
const IMPORT_AND_ANSWER = `
const { handler } = await import(process.argv[1]);
const imported = process.cpuUsage();
const event = JSON.parse(process.argv[2]);
const context = { awsRequestId: crypto.randomUUID(), functionName: 'bench', getRemainingTimeInMillis: () => 29_000, callbackWaitsForEmptyEventLoop: false };
const result = await handler(event, context);
const answered = process.cpuUsage();
process.stdout.write('\\n' + JSON.stringify({ imported: imported.user + imported.system, answered: answered.user + answered.system, status: result.statusCode, body: result.body }));
process.exit(0);`;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(values.runs);

const adminClaims = (email: string) => ({ sub: randomUUID(), email, email_verified: 'true', 'cognito:groups': '[admin]', iat: String(Math.floor(Date.now() / 1000)) });
const admin = adminClaims('bench-admin@example.com');
// Dual control: the proposals' cases decide what `admin` proposed, as another admin.
const approver = adminClaims('bench-approver@example.com');

function apiEvent(method: string, path: string, body?: unknown, claims: object = admin) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
  };
}

interface FirstRequest {
  imported: number;
  answered: number;
  status: number;
  body: string;
}

function firstRequest(file: string, event: object, env: Record<string, string>): FirstRequest {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_AND_ANSWER, pathToFileURL(file).href, JSON.stringify(event)], {
    env: { PATH: process.env.PATH!, POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${file} failed: ${child.stderr.slice(0, 1000)}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = join(REPO_ROOT, '.local', 'first-request');
const dataDir = join(tmpdir(), `tokenstocks-first-request-${process.pid}`);
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const [listUsers, listWallets, listWithdrawals, createProject, recordNav, approveProposal, rejectProposal] = await bundleHandlers(
  [
    'functions/users/list-users.ts',
    'functions/wallets/list-wallets.ts',
    'functions/withdrawals/list-withdrawals.ts',
    'functions/projects/create-project.ts',
    'functions/nav/record-nav.ts',
    'functions/proposals/approve-proposal.ts',
    'functions/proposals/reject-proposal.ts',
  ],
  dir,
);
const empty = join(dir, 'empty.mjs');
await writeFile(empty, 'export const handler = async () => ({ statusCode: 200, body: "" });');

const postgres = await startPostgres({ dataDir, port: 15_000 + (process.pid % 5_000) });
try {
  await postgres.createDatabase('bench');
  const db = createDb({ driver: 'pg', connectionString: postgres.urlFor('bench'), poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();
  const env = { DATABASE_URL: postgres.urlFor('bench'), DUAL_CONTROL: 'off' };
  const project = JSON.parse(firstRequest(createProject!.outfile, apiEvent('POST', '/api/projects', { name: 'Bench' }), env).body);
  const navEvent = (projectId = project.id) => ({
    ...apiEvent('POST', `/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'manual' }),
    pathParameters: { projectId },
  });
  // NAV proposals of a project of their own, each dated after the one before: approved in that
  // order, none is stale (nav-proposals.ts).
  const dualControl = { ...env, DUAL_CONTROL: 'on' };
  const proposed = JSON.parse(firstRequest(createProject!.outfile, apiEvent('POST', '/api/projects', { name: 'Bench proposals' }), env).body);
  const proposals = Array.from({ length: 2 * RUNS }, () => JSON.parse(firstRequest(recordNav!.outfile, navEvent(proposed.id), dualControl).body).id as string);
  const decision = (verb: 'approve' | 'reject', body: object) => () => {
    const id = proposals.shift()!;
    return { ...apiEvent('POST', `/api/proposals/${id}/${verb}`, body, approver), pathParameters: { id } };
  };

  const cases = [
    { name: 'empty module', file: empty, event: () => ({}) },
    { name: 'GET /api/users (list-users)', file: listUsers!.outfile, event: () => apiEvent('GET', '/api/users') },
    { name: 'GET /api/wallets (list-wallets)', file: listWallets!.outfile, event: () => apiEvent('GET', '/api/wallets') },
    { name: 'GET /api/withdrawals (list-withdrawals)', file: listWithdrawals!.outfile, event: () => apiEvent('GET', '/api/withdrawals') },
    { name: 'POST /api/projects (create-project)', file: createProject!.outfile, event: () => apiEvent('POST', '/api/projects', { name: `Bench ${randomUUID()}` }) },
    { name: 'POST /api/projects/{id}/nav (record-nav, records an event)', file: recordNav!.outfile, event: () => navEvent() },
    { name: 'POST /api/proposals/{id}/approve (approve-proposal, a NAV)', file: approveProposal!.outfile, event: decision('approve', {}), env: dualControl },
    { name: 'POST /api/proposals/{id}/reject (reject-proposal)', file: rejectProposal!.outfile, event: decision('reject', { reason: 'Bench' }), env: dualControl },
  ];
  const runs = cases.map((): FirstRequest[] => []);
  for (let run = 0; run < RUNS; run += 1) cases.forEach((c, i) => runs[i]!.push(firstRequest(c.file, c.event(), c.env ?? env)));
  const [emptyImport, emptyAnswer] = [median(runs[0]!.map((r) => r.imported)), median(runs[0]!.map((r) => r.answered))];
  cases.forEach((c, i) => {
    const imported = median(runs[i]!.map((r) => r.imported));
    const answered = median(runs[i]!.map((r) => r.answered));
    const statuses = [...new Set(runs[i]!.map((r) => r.status))].join(',');
    console.log(
      `${c.name}: import ${(imported / 1000).toFixed(1)} ms (${(imported / emptyImport).toFixed(2)}×), import + first answer ${(answered / 1000).toFixed(1)} ms (${(answered / emptyAnswer).toFixed(2)}×), status ${statuses}`,
    );
  });
} finally {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
}
