import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RDSData } from '@aws-sdk/client-rds-data';
import { Kysely, sql } from 'kysely';
import { DataApiDialect } from 'kysely-data-api';
import { startDataApiEmulator } from '../local/data-api/server';
import { dataDir } from '../local/data-dir';
import { startPostgres } from '../local/postgres';
import { createDb } from '../shared/db/client';
import type { Database } from '../shared/db/schema';
import { migrateToLatest } from '../shared/db/migrator';
import { Decimal } from '../shared/decimal';
import { advanceCalculation } from '../shared/distributions/calculate-allocations';
import { createDistributionEvent } from '../shared/distributions/create-event';
import { requestCalculation } from '../shared/distributions/request-calculation';
import { BENCH_RECORD_DATE, seedProjectHolders } from './seed';

/**
 * `npx tsx bench/calculation-data-api.ts [--holders N]`: one calculation of N holders through the
 * local RDS Data API emulator (which refuses what the service refuses), every call timed and its
 * answer measured as the emulator measures it. Prints, per kind of statement, the calls, the
 * largest answer and the slowest call, then one JSON line.
 */
const { values } = parseArgs({ options: { holders: { type: 'string', default: '200000' } } });
const holders = Number(values.holders);
const TOTAL = new Decimal('1234567.8901234');
const started = Date.now();
const progress = (step: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${step}\n`);

const KINDS: [string, RegExp][] = [
  ['snapshot read', /balance::numeric\(30, 7\)::text AS balance/],
  ['histogram', /div\(\(/],
  ['gather', /DESC, holder_id LIMIT/],
  ['tie-walk', /OFFSET/],
  ['write', /INSERT INTO distribution_allocations/],
  ['reset', /DELETE FROM distribution_allocations/],
  ['state', /UPDATE distribution_events|FOR UPDATE/],
];
const kindOf = (text: string) => KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
const calls = new Map<string, { calls: number; maxBytes: number; maxMs: number; totalMs: number }>();

/** The real SDK client, with each call's answer measured as the emulator measures it (the JSON of the answer). */
function measuredClient(endpoint: string): RDSData {
  const client = new RDSData({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  return {
    executeStatement: async (input: Parameters<RDSData['executeStatement']>[0]) => {
      const t0 = performance.now();
      const output = await client.executeStatement(input);
      const ms = performance.now() - t0;
      const { records, columnMetadata, numberOfRecordsUpdated, generatedFields } = output;
      const bytes = Buffer.byteLength(JSON.stringify({ records, columnMetadata, numberOfRecordsUpdated, generatedFields }));
      const kind = kindOf(input.sql ?? '');
      const seen = calls.get(kind) ?? { calls: 0, maxBytes: 0, maxMs: 0, totalMs: 0 };
      calls.set(kind, { calls: seen.calls + 1, maxBytes: Math.max(seen.maxBytes, bytes), maxMs: Math.max(seen.maxMs, ms), totalMs: seen.totalMs + ms });
      return output;
    },
    beginTransaction: (input: Parameters<RDSData['beginTransaction']>[0]) => client.beginTransaction(input),
    commitTransaction: (input: Parameters<RDSData['commitTransaction']>[0]) => client.commitTransaction(input),
    rollbackTransaction: (input: Parameters<RDSData['rollbackTransaction']>[0]) => client.rollbackTransaction(input),
  } as unknown as RDSData;
}

const dir = join(dataDir(), 'bench-data-api-postgres');
await rm(dir, { recursive: true, force: true });
progress('starting postgres and the Data API emulator');
const postgres = await startPostgres({ dataDir: dir, port: Number(process.env.BENCH_PG_PORT ?? 54340) });
const emulator = await startDataApiEmulator({ postgresUrl: postgres.urlFor('postgres') });
const pgDb = createDb({ driver: 'pg', connectionString: postgres.urlFor('bench'), poolSize: 2 });
try {
  await postgres.createDatabase('bench');
  await migrateToLatest(pgDb);
  progress(`seeding ${holders.toLocaleString()} holders`);
  const { projectId, adminId } = await seedProjectHolders(pgDb, holders);
  const admin = { id: adminId, email: 'admin@bench.invalid', name: null, role: 'admin' as const };
  const meta = { requestId: 'bench', sourceIp: null, userAgent: 'bench' };
  const input = { project_id: projectId, event_type: 'revenue' as const, title: 'Bench', total_amount: TOTAL, distribution_date: BENCH_RECORD_DATE };
  const event = await createDistributionEvent(pgDb, admin, input, meta);
  await requestCalculation(pgDb, admin, event.row.id, meta);

  progress('calculating through the Data API emulator');
  const db = new Kysely<Database>({
    dialect: new DataApiDialect({
      mode: 'postgres',
      driver: {
        client: measuredClient(emulator.endpoint),
        resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:bench',
        secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-AbCdEf',
        database: 'bench',
      },
    }),
  });
  const t0 = performance.now();
  const outcome = await advanceCalculation(db, event.row.id, { chunkSize: 20_000, hasTimeLeft: () => true });
  const seconds = (performance.now() - t0) / 1000;

  const { rows } = await sql<{ n: number; amount: string; percent: string }>`
    SELECT count(*)::int AS n, sum(allocated_amount)::text AS amount, sum(ownership_percentage)::text AS percent
    FROM distribution_allocations WHERE distribution_event_id = ${event.row.id}::uuid`.execute(pgDb);
  const check = rows[0];
  const exact = outcome === 'calculated' && check?.n === holders && new Decimal(check.amount).equals(TOTAL) && new Decimal(check.percent).equals(100);
  for (const [kind, figures] of calls) {
    process.stdout.write(
      `${kind.padEnd(14)} ${String(figures.calls).padStart(6)} calls  largest answer ${String(figures.maxBytes).padStart(8)} B  ` +
        `slowest ${figures.maxMs.toFixed(0).padStart(6)} ms  total ${(figures.totalMs / 1000).toFixed(1)} s\n`,
    );
  }
  const all = [...calls.values()];
  process.stdout.write(
    `${JSON.stringify({
      holders,
      outcome,
      exact,
      seconds: Number(seconds.toFixed(1)),
      largest_answer_bytes: Math.max(...all.map((f) => f.maxBytes)),
      slowest_statement_ms: Math.round(Math.max(...all.map((f) => f.maxMs))),
      by_kind: Object.fromEntries(calls),
    })}\n`,
  );
  await db.destroy();
} finally {
  await pgDb.destroy();
  await emulator.close();
  await postgres.stop();
}
