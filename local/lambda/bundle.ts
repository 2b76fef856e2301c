import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BuildOptions, build, version as esbuildVersion } from 'esbuild';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/lambda-bundling';

/**
 * Lambda's bundling (infra/lambda-bundling.ts): an execution environment loads the same single
 * ESM file Lambda loads, not the TypeScript sources. Its externals resolve from node_modules here.
 */
const LAMBDA_BUNDLING: BuildOptions = {
  ...LAMBDA_ESBUILD_OPTIONS,
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'silent',
};

/** Inside the repository, so a bundle's external imports resolve from its node_modules. */
const CACHE_DIR = join('node_modules', '.cache', 'tokenstocks-lambda');

/** Where environments keep V8's compiled code of the bundles (Node's module compile cache). */
export const compileCacheDir = (root: string) => resolve(root, CACHE_DIR, 'v8');

interface Manifest {
  /** The bundle, relative to the cache directory. */
  file: string;
  /** Every source file that went into it, with the size and modification time it had. */
  inputs: Record<string, { size: number; mtimeMs: number }>;
}

/** Thrown when a module cannot be bundled: it, or something it imports, is missing or does not parse. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

async function unchanged(root: string, inputs: Manifest['inputs']): Promise<boolean> {
  const checks = Object.entries(inputs).map(async ([path, recorded]) => {
    const now = await stat(resolve(root, path)).catch(() => undefined);
    return now !== undefined && now.size === recorded.size && now.mtimeMs === recorded.mtimeMs;
  });
  return (await Promise.all(checks)).every(Boolean);
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Writes a file whole or not at all: another process may be importing it. */
async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function rebuild(root: string, module: string, dir: string, manifestPath: string): Promise<string> {
  const result = await build({ ...LAMBDA_BUNDLING, absWorkingDir: root, entryPoints: [module], outdir: dir, write: false }).catch(
    (error: Error) => {
      throw new BundleError(error.message, { cause: error });
    },
  );
  const bundle = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (bundle === undefined) throw new BundleError(`esbuild made no bundle of ${module}`);
  const inputs: Manifest['inputs'] = {};
  // Modules a plugin made (`<namespace>:<path>`, infra/kysely-stubs.ts) have no file to watch.
  const files = Object.keys(result.metafile?.inputs ?? {}).filter((path) => !/^[\w-]+:/.test(path));
  await Promise.all(
    files.map(async (path) => {
      const { size, mtimeMs } = await stat(resolve(root, path));
      inputs[path] = { size, mtimeMs };
    }),
  );
  // Bundles never change once written (their name carries their hash); the manifest comes last.
  await Promise.all(result.outputFiles.map((file) => writeAtomically(file.path, file.contents)));
  await writeAtomically(manifestPath, JSON.stringify({ file: bundle.path.slice(dir.length + 1), inputs } satisfies Manifest));
  return bundle.path;
}

const building = new Map<string, Promise<string>>();

/**
 * The path of `module`'s Lambda bundle: the cached one while none of its sources changed,
 * otherwise a fresh build. Concurrent callers (other test files, `npm start`) may share the cache.
 *
 * @example
 * const file = await lambdaBundle(repoRoot, 'functions/health/get-health.ts');
 * const { handler } = await import(pathToFileURL(file).href);
 */
export async function lambdaBundle(root: string, module: string): Promise<string> {
  const dir = resolve(root, CACHE_DIR);
  const key = createHash('sha256').update(`${esbuildVersion}\n${JSON.stringify(LAMBDA_BUNDLING)}\n${module}`).digest('hex').slice(0, 16);
  const manifestPath = join(dir, `${key}.json`);
  const manifest = await readManifest(manifestPath);
  if (manifest !== undefined && (await unchanged(root, manifest.inputs))) return join(dir, manifest.file);
  await mkdir(dir, { recursive: true });
  let built = building.get(manifestPath);
  if (built === undefined) {
    built = rebuild(root, module, dir, manifestPath).finally(() => building.delete(manifestPath));
    building.set(manifestPath, built);
  }
  return built;
}
