import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_BUDGET_KB, type HandlerBundle, bundleHandlers, handlerModules } from '../infra/handler-bundles';
import { REPO_ROOT } from '../infra/paths';

export interface BundleFigures {
  count: number;
  max_kb: number;
  largest: string;
  init_ms: number;
  empty_init_ms: number;
  init_ratio: number;
  /** The same in the importing process's own CPU time (process.cpuUsage), steadier under load. */
  init_cpu_ms: number;
  empty_init_cpu_ms: number;
  init_cpu_ratio: number;
  /** The inputs contributing most to the largest bundle, in KB of output. */
  dominant: Array<{ module: string; kb: number }>;
  /** Every bundle's minified size, largest first. */
  sizes: Array<{ handler: string; kb: number }>;
  /** Bundles above BUNDLE_BUDGET_KB. */
  over_budget: number;
}

const IMPORT_RUNS = 7;

// Imports the module named by its argument, then prints the process's CPU time so far (µs).
const IMPORT_AND_REPORT_CPU =
  "await import(process.argv[1]); const { user, system } = process.cpuUsage(); process.stdout.write(String(user + system));";

export interface ImportCost {
  wallMs: number;
  cpuMs: number;
}

/** One fresh `node` process that imports `file` and exits: its wall time and its own CPU time. */
export function importCost(file: string): ImportCost {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_AND_REPORT_CPU, pathToFileURL(file).href], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr.toString().slice(0, 500)}`);
  return { wallMs, cpuMs: Number(child.stdout.toString()) / 1000 };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Medians of IMPORT_RUNS imports of each file, taken in turn (a b a b …) so that a change in the
 * machine's load weighs on both. CPU time is the figure to trust on a shared machine.
 */
export function medianImportCosts(files: readonly string[], runsEach = IMPORT_RUNS): ImportCost[] {
  const runs = files.map((): ImportCost[] => []);
  for (let run = 0; run < runsEach; run += 1) files.forEach((file, i) => runs[i]!.push(importCost(file)));
  return runs.map((costs) => ({ wallMs: median(costs.map((c) => c.wallMs)), cpuMs: median(costs.map((c) => c.cpuMs)) }));
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
  const [emptyCost, largestCost] = medianImportCosts([empty, largest.outfile]);
  await rm(dir, { recursive: true, force: true });
  return {
    count: built.length,
    max_kb: Math.round(largest.bytes / 1024),
    largest: largest.handler,
    init_ms: Number(largestCost!.wallMs.toFixed(1)),
    empty_init_ms: Number(emptyCost!.wallMs.toFixed(1)),
    init_ratio: Number((largestCost!.wallMs / emptyCost!.wallMs).toFixed(2)),
    init_cpu_ms: Number(largestCost!.cpuMs.toFixed(1)),
    empty_init_cpu_ms: Number(emptyCost!.cpuMs.toFixed(1)),
    init_cpu_ratio: Number((largestCost!.cpuMs / emptyCost!.cpuMs).toFixed(2)),
    dominant: dominantModules(largest.inputs),
    sizes: built.map(({ handler, bytes }) => ({ handler, kb: Math.round(bytes / 1024) })).sort((a, b) => b.kb - a.kb),
    over_budget: built.filter(({ bytes }) => bytes > BUNDLE_BUDGET_KB * 1024).length,
  };
}
