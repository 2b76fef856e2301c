import { join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { routes } from '../functions/routes';
import { schedules } from '../functions/schedules';
import { workers } from '../functions/workers';
import { redemptionWorkflowSteps } from '../functions/workflow';
import { LAMBDA_ESBUILD_OPTIONS } from './lambda-bundling';
import { REPO_ROOT } from './paths';

/**
 * What no handler's minified bundle may exceed (issue 13): it weighs on every cold start.
 * tests/infra/handler-bundles.test.ts holds every bundle to it; `npm run bench` reports against it.
 */
export const BUNDLE_BUDGET_KB = 250;

export interface HandlerBundle {
  /** The handler module, relative to the repository root. */
  handler: string;
  outfile: string;
  bytes: number;
  /** What each input contributes to the bundle (esbuild's metafile). */
  inputs: Metafile['outputs'][string]['inputs'];
}

/** Every handler module that becomes a Lambda: routes, queue workers, workflow steps and schedules. */
export function handlerModules(): string[] {
  const entries = [...Object.values(routes), ...Object.values(workers), ...Object.values(redemptionWorkflowSteps), ...Object.values(schedules)];
  return [...new Set(entries.map((entry) => entry.handler))].sort();
}

/** The folder under a bundling directory that holds `handler`'s asset: `index.mjs` and its source map. */
export const assetDirOf = (handler: string) => handler.replace(/\.ts$/, '').replace(/[^a-zA-Z0-9]+/g, '-');

/**
 * Bundles handlers into `dir` with Lambda's options (infra/lambda-bundling.ts), in one esbuild run
 * (each output stands alone, as each Lambda's asset does): `<dir>/<assetDirOf(handler)>/index.mjs`
 * and its source map, the folder infra deploys. The bundles are written so that they can be
 * imported; `dir` inside the repository lets the external `@aws-sdk/*` resolve from
 * node_modules, as they resolve from the Lambda runtime.
 */
export async function bundleHandlers(handlers: readonly string[], dir: string, options: BuildOptions = LAMBDA_ESBUILD_OPTIONS): Promise<HandlerBundle[]> {
  // index.mjs in every asset: AppFunction's handler setting is `index.handler`.
  const outfileOf = (handler: string) => join(dir, assetDirOf(handler), 'index.mjs');
  const result = await build({
    ...options,
    entryPoints: handlers.map((handler) => ({ in: join(REPO_ROOT, handler), out: join(assetDirOf(handler), 'index') })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // Source maps go to a separate file in the asset, read when a stack is first formatted
    // (shared/source-mapped-stacks.ts); only the comment naming it is in the code Lambda loads.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  return handlers.map((handler) => {
    const outfile = outfileOf(handler);
    const [, output] = Object.entries(result.metafile.outputs).find(([path]) => resolve(REPO_ROOT, path) === outfile)!;
    return { handler, outfile, bytes: output.bytes, inputs: output.inputs };
  });
}
