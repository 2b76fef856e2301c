import { sql } from 'kysely';
import type { Db } from '../shared/db/client';
import { uuid } from '../shared/db/sql-values';
import { createDistributionEvent } from '../shared/distributions/create-event';
import { requestCalculation } from '../shared/distributions/request-calculation';
import { Decimal } from '../shared/decimal';
import { deliverHandoffs } from '../shared/outbox/handoff';
import { HANDOFF_KINDS } from '../shared/outbox/handoffs';
import type { LocalQueues } from '../local/queues';
import { BENCH_RECORD_DATE, seedProjectHolders } from './seed';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export interface AllocationFigures {
  /** Holders seeded; an exact calculation allocates to every one of them. */
  holders: number;
  /** From the request to calculate until the event left `calculating`, or until the bench gave up. */
  seconds: number;
  /** null when the bare statement failed. */
  bare_seconds: number | null;
  /** seconds ÷ bare_seconds; null unless both went through. */
  ratio: number | null;
  /**
   * CPU time the Postgres server spent during the worker's run and during the bare statement,
   * and their ratio: less noisy than wall-clock time on a machine shared with other work. Null
   * without /proc, or when either run failed.
   */
  server_cpu_seconds: number | null;
  bare_server_cpu_seconds: number | null;
  server_cpu_ratio: number | null;
  exact: boolean;
  /** null when the worker process was stopped or crashed before reporting. */
  peak_rss_mb: number | null;
  deliveries: number | null;
  /** Why the run is not a clean measurement (the event's failure reason, a time limit, a refused statement); null when it is. */
  failure: string | null;
}

/** The path a figure measures. */
export interface AllocationPath<Seen extends object> {
  /** For progress lines: "pg", "the Data API". */
  name: string;
  /** What the use case and the bare INSERT … SELECT are sent through. */
  db: Db;
  /** Set on top of the bench's environment for the worker process; undefined removes a variable. */
  workerEnv: NodeJS.ProcessEnv;
  /** Called as the clock starts; the function it returns is called once the calculation has settled. */
  watch(): () => Seen;
}

/** The worker over `pg`, as `npm start` runs it by default. */
export const pgPath = (db: Db): AllocationPath<Record<never, never>> => ({ name: 'pg', db, workerEnv: {}, watch: () => () => ({}) });

const TOTAL = new Decimal('1234567.8901234');
const meta = { requestId: 'bench', sourceIp: null, userAgent: 'bench' };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const round = (value: number) => Number(value.toFixed(2));

interface Settled {
  seconds: number;
  /** Whether the event left `calculating`: false when the bench gave up on it. */
  left: boolean;
  failure: string | null;
}

/**
 * Waits until the event leaves `calculating`, reporting progress. Gives up, saying why, when the
 * worker process ends first (its message failed and went back to the queue, or it crashed) or
 * the time limit passes. `failure` is null only for a calculated event.
 */
async function untilSettled(
  db: Db,
  eventId: string,
  worker: WorkerProcess,
  clock: { started: number; limitMs: number },
  progress: (step: string) => void,
): Promise<Settled> {
  let reported = '';
  for (;;) {
    // Read before the event: a worker that ends after a calculation has already moved the event on.
    const workerExit = worker.exit;
    // The state's phase and holder count, not the state: read every few milliseconds.
    const row = await db
      .selectFrom('distribution_events')
      .select(['status', 'holders_done', 'failure_reason'])
      .select([sql<string | null>`calculation_state->>'phase'`.as('phase'), sql<string | null>`calculation_state->>'holders'`.as('holders')])
      .where('id', '=', uuid(eventId))
      .executeTakeFirstOrThrow();
    const elapsedMs = performance.now() - clock.started;
    const seconds = elapsedMs / 1000;
    if (row.status === 'calculated') return { seconds, left: true, failure: null };
    if (row.status !== 'calculating') {
      return { seconds, left: true, failure: `the event ended ${row.status}: ${row.failure_reason ?? 'no reason recorded'}` };
    }
    if (workerExit !== undefined) {
      return { seconds, left: false, failure: `the worker process ended (${workerExit}) with the event still calculating` };
    }
    if (elapsedMs > clock.limitMs) {
      return { seconds, left: false, failure: `still calculating after the time limit of ${clock.limitMs / 1000} s; stopped` };
    }
    const state = { phase: row.phase, holders: row.holders === null ? null : Number(row.holders) };
    const phase = state.phase ?? 'queued';
    const tenths = state.holders ? Math.floor((row.holders_done * 10) / state.holders) : 0;
    const line = `  ${phase}${phase === 'write' ? ` ${tenths * 10}%` : ''}`;
    if (line !== reported) progress((reported = line));
    // Often enough that the worker's figure is not rounded up by much (the bare one is timed exactly).
    await sleep(10);
  }
}

/**
 * Rows a bare statement writes: as many as fit well inside the Data API's 45 s a statement at
 * 1,000,000 holders (one statement of a million rows takes about as long as the cut-off), so the
 * bare figure is the cheapest way to write the rows that the path allows.
 */
const BARE_ROWS_PER_STATEMENT = 100_000;

/** Seconds that INSERT … SELECT of the holders' rows takes through `db`, in holder-id ranges of BARE_ROWS_PER_STATEMENT. */
async function bareInsertSelect(db: Db, eventId: string, projectId: string): Promise<number> {
  const started = performance.now();
  for (let after: string | undefined = '00000000-0000-0000-0000-000000000000'; after !== undefined; ) {
    const { rows } = await sql<{ last_holder: string | null }>`
      WITH inserted AS (
        INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id,
          lp_tokens_held, ownership_percentage, allocated_amount, available_amount)
        SELECT ${uuid(eventId)}, project_id, lp_token_holder_id, lp_tokens_allocated, 0, 0, 0
        FROM lp_token_balances
        WHERE project_id = ${uuid(projectId)} AND lp_tokens_allocated > 0 AND lp_token_holder_id > ${uuid(after)}
        ORDER BY lp_token_holder_id LIMIT ${BARE_ROWS_PER_STATEMENT}
        RETURNING lp_token_holder_id)
      SELECT (SELECT lp_token_holder_id::text FROM inserted ORDER BY lp_token_holder_id DESC LIMIT 1) AS last_holder`.execute(db);
    after = rows[0]?.last_holder ?? undefined;
  }
  return (performance.now() - started) / 1000;
}

/** Whether the event is calculated with one allocation per holder, summing to the total and to 100 %. */
async function isExact(db: Db, eventId: string, holders: number): Promise<boolean> {
  const { rows } = await sql<{ status: string; n: number; amount: string; percent: string }>`
    SELECT e.status, count(a.id)::int AS n, coalesce(sum(a.allocated_amount), 0)::text AS amount,
      coalesce(sum(a.ownership_percentage), 0)::text AS percent
    FROM distribution_events e LEFT JOIN distribution_allocations a ON a.distribution_event_id = e.id
    WHERE e.id = ${uuid(eventId)} GROUP BY e.status`.execute(db);
  const check = rows[0];
  return check?.status === 'calculated' && check.n === holders && new Decimal(check.amount).equals(TOTAL) && new Decimal(check.percent).equals(100);
}

/**
 * The real path (use case → SQS → worker process) for `holders` holders against a bare
 * INSERT … SELECT of the same rows, both over `path`; a calculation still running after
 * `timeLimitMs` is stopped and reported. `observer` (pg) seeds, watches the event and checks the
 * result, so none of that shows in what the path measures.
 */
export async function benchAllocation<Seen extends object>(
  observer: Db,
  path: AllocationPath<Seen>,
  queues: LocalQueues,
  { holders, timeLimitMs, postgresCpuMs }: { holders: number; timeLimitMs: number; postgresCpuMs: () => number | null },
  progress: (step: string) => void,
): Promise<AllocationFigures & Seen> {
  progress(`seeding ${holders.toLocaleString()} holders`);
  const { projectId, adminId } = await seedProjectHolders(observer, holders);
  const admin = { id: adminId, email: 'admin@bench.invalid', name: null, role: 'admin' as const };
  const input = { project_id: projectId, event_type: 'revenue' as const, title: 'Bench', total_amount: TOTAL, distribution_date: BENCH_RECORD_DATE };

  progress(`calculating through the worker over ${path.name}`);
  const event = await createDistributionEvent(path.db, admin, input, meta);
  const worker = startWorkerProcess({ ...process.env, ...queues.env, ALLOCATION_QUEUE_ARN: queues.queues.allocation.arn, ...path.workerEnv });
  const cpuSince = (before: number | null) => {
    const after = postgresCpuMs();
    return before === null || after === null ? null : (after - before) / 1000;
  };
  const serverCpu: { worker: number | null; bare: number | null } = { worker: null, bare: null };
  let run: Settled;
  let seen: Seen;
  let workerFigures: Awaited<WorkerProcess['finished']>;
  try {
    // The worker process is started (and warm, polling) before the clock starts, as a Lambda would be.
    await sleep(3_000);
    await sql`CHECKPOINT`.execute(observer);
    const stopWatching = path.watch();
    const cpuBefore = postgresCpuMs();
    const started = performance.now();
    // As POST /calculate does: the hand-off commits with the request, then is delivered.
    await requestCalculation(path.db, admin, event.row.id, meta);
    await deliverHandoffs(path.db, { subjectId: event.row.id, kind: HANDOFF_KINDS.calculateDistribution });
    run = await untilSettled(observer, event.row.id, worker, { started, limitMs: timeLimitMs }, progress);
    serverCpu.worker = cpuSince(cpuBefore);
    seen = stopWatching();
    // Once the event has settled the worker drains the queue and exits by itself.
    workerFigures = await (run.left ? worker.finished : worker.stop());
  } finally {
    await worker.stop();
  }
  if (run.failure !== null) progress(`  failed: ${run.failure}`);

  progress(`bare INSERT … SELECT of the same rows over ${path.name}`);
  const bare = await createDistributionEvent(path.db, admin, input, meta);
  await sql`CHECKPOINT`.execute(observer);
  let bareSeconds: number | null = null;
  let bareFailure: string | null = null;
  try {
    const cpuBefore = postgresCpuMs();
    bareSeconds = await bareInsertSelect(path.db, bare.row.id, projectId);
    serverCpu.bare = cpuSince(cpuBefore);
  } catch (error) {
    bareFailure = `the bare INSERT … SELECT failed: ${error instanceof Error ? error.message : String(error)}`;
    progress(`  ${bareFailure}`);
  }

  progress('checking exactness');
  return {
    holders,
    seconds: round(run.seconds),
    bare_seconds: bareSeconds === null ? null : round(bareSeconds),
    ratio: run.failure === null && bareSeconds !== null ? round(run.seconds / bareSeconds) : null,
    server_cpu_seconds: serverCpu.worker === null ? null : round(serverCpu.worker),
    bare_server_cpu_seconds: serverCpu.bare === null ? null : round(serverCpu.bare),
    server_cpu_ratio: run.failure === null && serverCpu.worker !== null && serverCpu.bare ? round(serverCpu.worker / serverCpu.bare) : null,
    exact: await isExact(observer, event.row.id, holders),
    peak_rss_mb: workerFigures?.peak_rss_mb ?? null,
    deliveries: workerFigures?.deliveries ?? null,
    failure: [run.failure, bareFailure].filter((reason) => reason !== null).join('; ') || null,
    ...seen,
  };
}
