import type { BuildOptions } from 'esbuild';

/**
 * How every function's code is bundled for Lambda: one minified ESM file for Node 22, the AWS SDK
 * left to the runtime. AppFunction gives these to CDK's NodejsFunction; the local Lambda runtime
 * and the bundle benchmark give the same to esbuild, so what they load and measure is what
 * Lambda loads.
 */
export const LAMBDA_BUNDLING = {
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcesContent: false,
  // The runtime provides the AWS SDK v3; `pg` is only loaded for DATABASE_URL, never on Lambda.
  external: ['@aws-sdk/*', 'pg'],
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/** The same, as esbuild's own options (CDK's NodejsFunction runs esbuild with these). */
export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_BUNDLING.target,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  minify: LAMBDA_BUNDLING.minify,
  sourcesContent: LAMBDA_BUNDLING.sourcesContent,
  external: [...LAMBDA_BUNDLING.external],
  banner: { js: LAMBDA_BUNDLING.banner },
};
