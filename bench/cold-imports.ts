/**
 * Cold import of chosen handler bundles against an empty module, as `npm run bench` times the
 * largest one (bench/bundles.ts): `npx tsx bench/cold-imports.ts [--runs 7] [handler.ts …]`.
 * Without handlers, the five largest bundles. `--unminified` also writes unminified copies to
 * profile (`node --cpu-prof --cpu-prof-interval 100 <file>`).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { bundleHandlers, handlerModules } from '../infra/handler-bundles';
import { LAMBDA_ESBUILD_OPTIONS } from '../infra/lambda-bundling';
import { REPO_ROOT } from '../infra/paths';
import { medianImportCosts } from './bundles';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '7' }, unminified: { type: 'boolean', default: false } },
});
const dir = join(REPO_ROOT, '.local', 'cold-imports');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const built = await bundleHandlers(handlerModules(), dir);
const chosen = positionals.length > 0 ? built.filter((b) => positionals.includes(b.handler)) : [...built].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
const empty = join(dir, 'empty.mjs');
await writeFile(empty, '');
const [emptyCost, ...costs] = medianImportCosts([empty, ...chosen.map((b) => b.outfile)], Number(values.runs));
console.log(`empty module: ${emptyCost!.cpuMs.toFixed(1)} ms CPU`);
chosen.forEach((bundle, i) =>
  console.log(
    `${bundle.handler}: ${Math.round(bundle.bytes / 1024)} KB, ${costs[i]!.cpuMs.toFixed(1)} ms CPU, ${(costs[i]!.cpuMs / emptyCost!.cpuMs).toFixed(2)}×`,
  ),
);
if (values.unminified) {
  await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    minify: false,
    entryPoints: chosen.map((b) => ({ in: join(REPO_ROOT, b.handler), out: `unminified-${b.handler.replace(/\.ts$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}` })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  console.log(`unminified copies in ${dir}`);
}
