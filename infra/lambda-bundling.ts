import type { BuildOptions } from 'esbuild';
import { kyselyStubs } from './kysely-stubs';

/**
 * How the migrations function is bundled for Lambda: one minified ESM file for Node 22, the AWS
 * SDK left to the runtime, Kysely whole (its schema builders and migrator).
 */
export const MIGRATIONS_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcesContent: false,
  // The runtime provides the AWS SDK v3; `pg` is only loaded for DATABASE_URL, never on Lambda.
  external: ['@aws-sdk/*', 'pg'],
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
};

/**
 * How every other function is bundled: the same, with Kysely's modules no handler uses replaced
 * by stubs, and without the `require` banner: no handler's dependencies call require() (a test
 * holds every bundle to that), and loading node:module to make one cost ~1 ms of every cold
 * start. Infra (infra/lambda-assets.ts), the local Lambda runtime and the bundle benchmark all
 * run esbuild with these, so what they load and measure is what Lambda loads.
 */
export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = { ...MIGRATIONS_ESBUILD_OPTIONS, banner: {}, plugins: [kyselyStubs] };
