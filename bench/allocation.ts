import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../shared/db/client';
import { uuid } from '../shared/db/sql-values';
import { createDistributionEvent } from '../shared/distributions/create-event';
import { requestCalculation } from '../shared/distributions/request-calculation';
import { Decimal } from '../shared/decimal';
import { sendMessage } from '../shared/queue/send-message';
import type { LocalQueues } from '../local/queues';
import { BENCH_RECORD_DATE, seedProjectHolders } from './seed';

export interface AllocationFigures {
  holders: number;
  seconds: number;
  bare_seconds: number;
  ratio: number;
  exact: boolean;
  peak_rss_mb: number;
  deliveries: number;
}

const TOTAL = new Decimal('1234567.8901234');
const meta = { requestId: 'bench', sourceIp: null, userAgent: 'bench' };

function runWorkerProcess(env: Record<string, string>): Promise<{ deliveries: number; peak_rss_mb: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'run-worker.ts')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')) : fail(new Error(`worker exited ${code}`))));
  });
}

/** Seconds from `started` until the event leaves `calculating`, reporting progress on the way. */
async function untilCalculated(db: Db, eventId: string, started: number, progress: (step: string) => void): Promise<number> {
  let reported = '';
  for (;;) {
    const row = await db
      .selectFrom('distribution_events')
      .select(['status', 'holders_done', 'calculation_state'])
      .where('id', '=', uuid(eventId))
      .executeTakeFirstOrThrow();
    if (row.status !== 'calculating') return (performance.now() - started) / 1000;
    const phase = (row.calculation_state as { phase?: string } | null)?.phase ?? 'queued';
    const state = row.calculation_state as { phase?: string; holders?: number } | null;
    const tenths = state?.holders ? Math.floor((row.holders_done * 10) / state.holders) : 0;
    const line = `  ${phase}${phase === 'write' ? ` ${tenths * 10}%` : ''}`;
    if (line !== reported) progress((reported = line));
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The real path (API use case → SQS → worker process) against a bare INSERT … SELECT of the same rows. */
export async function benchAllocation(db: Db, queues: LocalQueues, holders: number, progress: (step: string) => void): Promise<AllocationFigures> {
  progress(`seeding ${holders.toLocaleString()} holders`);
  const { projectId, adminId } = await seedProjectHolders(db, holders);
  const admin = { id: adminId, email: 'admin@bench.invalid', name: null, role: 'admin' as const };
  const input = { project_id: projectId, event_type: 'revenue' as const, title: 'Bench', total_amount: TOTAL, distribution_date: BENCH_RECORD_DATE };

  progress('calculating through the worker');
  const event = await createDistributionEvent(db, admin, input, meta);
  // The worker process is started (and warm, polling) before the clock starts, as a Lambda would be.
  const worker = runWorkerProcess({ ...queues.env, ALLOCATION_QUEUE_ARN: queues.queues.allocation.arn });
  await new Promise((done) => setTimeout(done, 3_000));
  await sql`CHECKPOINT`.execute(db);
  const started = performance.now();
  await requestCalculation(db, admin, event.row.id, meta);
  await sendMessage('allocation', { event_id: event.row.id });
  const seconds = await untilCalculated(db, event.row.id, started, progress);
  const workerFigures = await worker;

  progress('bare INSERT … SELECT of the same rows');
  const bare = await createDistributionEvent(db, admin, input, meta);
  await sql`CHECKPOINT`.execute(db);
  const bareStarted = performance.now();
  await sql`
    INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id,
      lp_tokens_held, ownership_percentage, allocated_amount, available_amount)
    SELECT ${uuid(bare.row.id)}, project_id, lp_token_holder_id, lp_tokens_allocated,
      0, 0, 0
    FROM lp_allocations WHERE project_id = ${uuid(projectId)} AND lp_tokens_allocated > 0`.execute(db);
  const bareSeconds = (performance.now() - bareStarted) / 1000;

  progress('checking exactness');
  const { rows } = await sql<{ status: string; n: number; amount: string; percent: string }>`
    SELECT e.status, count(a.id)::int AS n, coalesce(sum(a.allocated_amount), 0)::text AS amount,
      coalesce(sum(a.ownership_percentage), 0)::text AS percent
    FROM distribution_events e LEFT JOIN distribution_allocations a ON a.distribution_event_id = e.id
    WHERE e.id = ${uuid(event.row.id)} GROUP BY e.status`.execute(db);
  const check = rows[0];
  const exact =
    check?.status === 'calculated' && new Decimal(check.amount).equals(TOTAL) && new Decimal(check.percent).equals(100);
  return {
    holders: check?.n ?? 0,
    seconds: Number(seconds.toFixed(2)),
    bare_seconds: Number(bareSeconds.toFixed(2)),
    ratio: Number((seconds / bareSeconds).toFixed(2)),
    exact,
    peak_rss_mb: workerFigures.peak_rss_mb,
    deliveries: workerFigures.deliveries,
  };
}
