import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from '../local/data-dir';
import { startPostgres } from '../local/postgres';
import { startLocalQueues } from '../local/queues';
import { closeDb, getDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { benchAllocation } from './allocation';

/**
 * `npm run bench [-- --holders N]`: figures against their physical limits on a real Postgres,
 * a table for people and, as the last line, one JSON object with every figure.
 */
const { values } = parseArgs({ options: { holders: { type: 'string', default: '1000000' } } });
const holders = Number(values.holders);

const started = Date.now();
const progress = (step: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${step}\n`);

const dir = join(dataDir(), 'bench-postgres');
await rm(dir, { recursive: true, force: true });
progress('starting postgres');
const postgres = await startPostgres({ dataDir: dir, port: Number(process.env.BENCH_PG_PORT ?? 54339) });
const queues = await startLocalQueues({ visibilityTimeoutSeconds: 1800 });
try {
  await postgres.createDatabase('bench');
  process.env.DATABASE_URL = postgres.urlFor('bench');
  Object.assign(process.env, queues.env);
  await migrateToLatest(getDb());
  const allocation = await benchAllocation(getDb(), queues, holders, progress);
  const rows = [
    ['allocation', 'holders', allocation.holders.toLocaleString()],
    ['', 'worker path (s)', allocation.seconds],
    ['', 'bare INSERT … SELECT (s)', allocation.bare_seconds],
    ['', 'ratio (target ≤ 1.25)', allocation.ratio],
    ['', 'exact', allocation.exact],
    ['', 'worker peak RSS (MB)', allocation.peak_rss_mb],
  ];
  for (const [section, figure, value] of rows) console.log(`${String(section).padEnd(12)} ${String(figure).padEnd(28)} ${value}`);
  console.log(JSON.stringify({ allocation }));
} finally {
  await closeDb();
  await queues.stop();
  await postgres.stop();
}
