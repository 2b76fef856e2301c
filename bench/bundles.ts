import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_BUDGET_KB, type HandlerBundle, bundleHandlers, handlerModules } from '../infra/handler-bundles';
import { REPO_ROOT } from '../infra/paths';

export interface BundleFigures {
  count: number;
  max_kb: number;
  largest: string;
  init_ms: number;
  empty_init_ms: number;
  init_ratio: number;
  /** The inputs contributing most to the largest bundle, in KB of output. */
  dominant: Array<{ module: string; kb: number }>;
  /** Every bundle's minified size, largest first. */
  sizes: Array<{ handler: string; kb: number }>;
  /** Bundles above BUNDLE_BUDGET_KB. */
  over_budget: number;
}

const IMPORT_RUNS = 7;

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
function dominantModules(inputs: HandlerBundle['inputs']): Array<{ module: string; kb: number }> {
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
  const built = await bundleHandlers(handlers, dir);
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
    dominant: dominantModules(largest.inputs),
    sizes: built.map(({ handler, bytes }) => ({ handler, kb: Math.round(bytes / 1024) })).sort((a, b) => b.kb - a.kb),
    over_budget: built.filter(({ bytes }) => bytes > BUNDLE_BUDGET_KB * 1024).length,
  };
}
