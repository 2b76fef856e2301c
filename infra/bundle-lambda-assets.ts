import { bundleHandlers } from './handler-bundles';
import { LAMBDA_ESBUILD_OPTIONS, MIGRATIONS_ESBUILD_OPTIONS } from './lambda-bundling';

/**
 * `tsx infra/bundle-lambda-assets.ts <dir> <handlers|migrations> <handler>…`: bundles the handlers
 * into `<dir>/<assetDirOf(handler)>/` in one esbuild run. A process of its own because synthesis
 * is synchronous and esbuild runs plugins (infra/kysely-stubs.ts) only in its asynchronous API.
 */
const [dir, kind, ...handlers] = process.argv.slice(2);
if (dir === undefined || (kind !== 'handlers' && kind !== 'migrations') || handlers.length === 0) {
  throw new Error('usage: bundle-lambda-assets.ts <dir> <handlers|migrations> <handler>…');
}
await bundleHandlers(handlers, dir, kind === 'migrations' ? MIGRATIONS_ESBUILD_OPTIONS : LAMBDA_ESBUILD_OPTIONS);
