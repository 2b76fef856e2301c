import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from '../local/data-dir';
import { startPostgres } from '../local/postgres';
import { startLocalQueues } from '../local/queues';
import { closeDb, getDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { type AllocationFigures, benchAllocation } from './allocation';
import { type ApiFigures, benchApi } from './api';
import { type BundleFigures, benchBundles } from './bundles';

/**
 * `npm run bench [-- --holders N] [--api-seconds S] [--skip-allocation] [--skip-api] [--skip-bundles]`:
 * figures against their physical limits on a real Postgres, a table for people and, as the last
 * line, one JSON object with every figure. By default every benchmark runs.
 */
const { values } = parseArgs({
  options: {
    holders: { type: 'string', default: '1000000' },
    'api-seconds': { type: 'string', default: '10' },
    'skip-allocation': { type: 'boolean', default: false },
    'skip-api': { type: 'boolean', default: false },
    'skip-bundles': { type: 'boolean', default: false },
  },
});
const holders = Number(values.holders);

const started = Date.now();
const progress = (step: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${step}\n`);

const figures: { allocation?: AllocationFigures; api?: ApiFigures; bundles?: BundleFigures } = {};
const rows: Array<[string, string, unknown]> = [];

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
  if (!values['skip-allocation']) {
    const allocation = (figures.allocation = await benchAllocation(getDb(), queues, holders, progress));
    rows.push(
      ['allocation', 'holders', allocation.holders.toLocaleString()],
      ['', 'worker path (s)', allocation.seconds],
      ['', 'bare INSERT … SELECT (s)', allocation.bare_seconds],
      ['', 'ratio (target ≤ 1.25)', allocation.ratio],
      ['', 'exact', allocation.exact],
      ['', 'worker peak RSS (MB)', allocation.peak_rss_mb],
    );
  }
  if (!values['skip-api']) {
    const api = (figures.api = await benchApi(getDb(), Number(values['api-seconds']), progress));
    rows.push(
      ['api', `GET allocations, ${api.connections} conns`, `${api.seconds} s each`],
      ['', 'gateway req/s', api.rps],
      ['', 'gateway p99 (ms)', api.p99_ms],
      ['', 'bare pg req/s', api.bare_rps],
      ['', 'bare pg p99 (ms)', api.bare_p99_ms],
      ['', 'ratio (target ≤ 1.5)', api.ratio],
      ['', 'errors or non-2xx', api.errors],
    );
  }
  if (!values['skip-bundles']) {
    const bundles = (figures.bundles = await benchBundles(progress));
    rows.push(
      ['bundles', 'handlers bundled', bundles.count],
      ['', 'largest', bundles.largest],
      ['', 'largest (KB, target ≤ 250)', bundles.max_kb],
      ['', 'import largest (ms)', bundles.init_ms],
      ['', 'import empty module (ms)', bundles.empty_init_ms],
      ['', 'init ratio (target ≤ 1.5)', bundles.init_ratio],
      ['', 'dominated by', bundles.dominant.slice(0, 3).map(({ module, kb }) => `${module} ${kb} KB`).join(', ')],
    );
  }
  for (const [section, figure, value] of rows) console.log(`${section.padEnd(12)} ${figure.padEnd(32)} ${value}`);
  console.log(JSON.stringify(figures));
} finally {
  await closeDb();
  await queues.stop();
  await postgres.stop();
}
