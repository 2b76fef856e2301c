import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { assetDirOf, handlerModules } from './handler-bundles';
import { REPO_ROOT } from './paths';

/** Which esbuild options bundle a function (infra/lambda-bundling.ts). */
export type BundleKind = 'handlers' | 'migrations';

// Inside the repository, at a fixed depth: the source maps' paths (relative to the bundle) are then
// the same on every machine, and so are the assets' hashes.
const SYNTH_CACHE = join(REPO_ROOT, 'node_modules', '.cache');

const bundled = new Map<BundleKind, { dir: string; handlers: Set<string> }>();

/** A folder for this synthesis's bundles, removed when the process exits. */
function newBundleDir(kind: BundleKind): string {
  mkdirSync(SYNTH_CACHE, { recursive: true });
  const dir = mkdtempSync(join(SYNTH_CACHE, `tokenstocks-synth-${kind}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A folder holding `handler`'s bundle (assetDirOf). The first request-path handler asked for
 * bundles every handler of the tables in one esbuild run; the rest are then already there.
 */
function bundleDirOf(handler: string, kind: BundleKind): string {
  const done = bundled.get(kind);
  if (done?.handlers.has(handler)) return done.dir;
  const handlers = kind === 'handlers' && done === undefined ? [...new Set([...handlerModules(), handler])] : [handler];
  const dir = done?.dir ?? newBundleDir(kind);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra/bundle-lambda-assets.ts'), dir, kind, ...handlers], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (child.status !== 0) throw new Error(`bundling ${handler} failed: ${child.stderr.toString()}`);
  bundled.set(kind, { dir, handlers: new Set([...(done?.handlers ?? []), ...handlers]) });
  return dir;
}

/** Package files copied next to a handler's bundle. */
export interface BundledFiles {
  package: string;
  files: readonly string[];
}

/**
 * Copies a handler's bundle into the asset's folder. Its fields are part of CDK's asset cache key
 * (JSON of the bundling options): without them every function would get the first one's asset.
 */
class LocalBundle implements ILocalBundling {
  constructor(
    readonly handler: string,
    readonly kind: BundleKind,
    readonly extraFiles: BundledFiles | undefined,
  ) {}

  tryBundle(outputDir: string): boolean {
    cpSync(join(bundleDirOf(this.handler, this.kind), assetDirOf(this.handler)), outputDir, { recursive: true });
    for (const file of this.extraFiles?.files ?? []) cpSync(join(REPO_ROOT, 'node_modules', this.extraFiles!.package, file), join(outputDir, file));
    return true;
  }
}

/**
 * `handler`'s code for Lambda: its bundle (`index.mjs`, exporting `handler`, and its source map)
 * plus any `extraFiles`. Bundled locally at synthesis, never in Docker; skipped, as CDK skips
 * every bundling, for stacks outside the `aws:cdk:bundling-stacks` context.
 */
export function lambdaCode(handler: string, kind: BundleKind, extraFiles?: BundledFiles): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    // Never pulled: local bundling always succeeds or throws.
    bundling: { image: DockerImage.fromRegistry('local-bundling-only'), local: new LocalBundle(handler, kind, extraFiles) },
  });
}
