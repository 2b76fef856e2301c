import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { routes } from '../functions/routes';
import { schedules } from '../functions/schedules';
import { workers } from '../functions/workers';
import { redemptionWorkflowSteps } from '../functions/workflow';
import { LAMBDA_ESBUILD_OPTIONS } from '../infra/lambda-bundling';

export interface BundleFigures {
  count: number;
  max_kb: number;
  largest: string;
  init_ms: number;
  empty_init_ms: number;
  init_ratio: number;
  /** The inputs contributing most to the largest bundle, in KB of output. */
  dominant: Array<{ module: string; kb: number }>;
}

const REPO_ROOT = resolve(import.meta.dirname, '..');
const IMPORT_RUNS = 7;

/** Every handler module that becomes a Lambda: routes, queue workers and workflow steps. */
function handlerModules(): string[] {
  const entries = [...Object.values(routes), ...Object.values(workers), ...Object.values(redemptionWorkflowSteps), ...Object.values(schedules)];
  return [...new Set(entries.map((entry) => entry.handler))].sort();
}

/** Lambda's bundling (infra/lambda-bundling.ts), applied to one entry. */
async function bundle(handler: string, outfile: string): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    entryPoints: [join(REPO_ROOT, handler)],
    outfile,
    // Source maps go to a separate file in the asset: they do not weigh on the code Lambda loads.
    sourcemap: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'));
  return { bytes: output?.[1].bytes ?? 0, metafile: result.metafile };
}

/** Median wall time of a fresh `node` process that imports `file` and exits. */
function medianImportMs(file: string): number {
  const times: number[] = [];
  for (let run = 0; run < IMPORT_RUNS; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [file], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr.toString().slice(0, 500)}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** Output bytes by package (or by first-party directory), largest first. */
function dominantModules(metafile: Metafile): Array<{ module: string; kb: number }> {
  const inputs = Object.values(metafile.outputs).find((output) => output.entryPoint !== undefined)?.inputs ?? {};
  const byModule = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    const module = pkg ?? path.split('/').slice(0, 2).join('/');
    byModule.set(module, (byModule.get(module) ?? 0) + bytesInOutput);
  }
  return [...byModule.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([module, bytes]) => ({ module, kb: Math.round(bytes / 1024) }));
}

/**
 * Bundles every handler as CDK does, then times a fresh process importing the largest bundle
 * against one importing an empty module. The bundles are written inside the repository so the
 * external `@aws-sdk/*` resolve from node_modules, as they resolve from the Lambda runtime.
 */
export async function benchBundles(progress: (step: string) => void): Promise<BundleFigures> {
  const dir = join(REPO_ROOT, '.local', 'bench-bundles');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const handlers = handlerModules();
  progress(`bundling ${handlers.length} handlers`);
  const built = await Promise.all(
    handlers.map(async (handler) => {
      const outfile = join(dir, `${handler.replace(/\.ts$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}.mjs`);
      return { handler, outfile, ...(await bundle(handler, outfile)) };
    }),
  );
  const largest = built.reduce((a, b) => (b.bytes > a.bytes ? b : a));

  progress('timing cold imports');
  const empty = join(dir, 'empty.mjs');
  await writeFile(empty, '');
  const emptyMs = medianImportMs(empty);
  const initMs = medianImportMs(largest.outfile);
  await rm(dir, { recursive: true, force: true });
  return {
    count: built.length,
    max_kb: Math.round(largest.bytes / 1024),
    largest: largest.handler,
    init_ms: Number(initMs.toFixed(1)),
    empty_init_ms: Number(emptyMs.toFixed(1)),
    init_ratio: Number((initMs / emptyMs).toFixed(2)),
    dominant: dominantModules(largest.metafile),
  };
}
