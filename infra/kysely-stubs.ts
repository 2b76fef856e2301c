import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Kysely's modules that no request-path function uses, reachable only through the Kysely and
 * QueryCreator classes (`db.schema`, `withSchema`, `mergeInto`, `db.introspection`): about 49 KB
 * of every bundle. Only the migrations function (schema builders, migrator) keeps them.
 */
export const STUBBED_KYSELY_MODULES = [
  'schema/schema.js',
  'plugin/with-schema/with-schema-plugin.js',
  'query-builder/merge-query-builder.js',
  'dialect/postgres/postgres-introspector.js',
] as const;

const KYSELY_ESM = /[\\/]node_modules[\\/]kysely[\\/]dist[\\/]esm[\\/]/;

/** Which of STUBBED_KYSELY_MODULES an absolute path is, if any. */
function stubbedModule(path: string): string | undefined {
  const match = KYSELY_ESM.exec(path);
  if (match === null) return undefined;
  const module = path.slice(match.index + match[0].length).replace(/\\/g, '/');
  return STUBBED_KYSELY_MODULES.find((stubbed) => stubbed === module);
}

/** The stub of a module exporting only classes: each constructor throws, naming what is missing and why. */
export function stubModule(module: string, source: string): string {
  const classes = [...source.matchAll(/^export class (\w+)/gm)].map(([, name]) => name!);
  const otherExports = source.match(/^export (?!class )/m);
  if (classes.length === 0 || otherExports !== null) throw new Error(`kysely/${module} no longer exports classes only: review STUBBED_KYSELY_MODULES`);
  const message = (name: string) =>
    JSON.stringify(`Kysely's ${name} (kysely/${module}) is left out of this function's bundle (infra/kysely-stubs.ts); only the migrations function carries it.`);
  return classes.map((name) => `export class ${name} { constructor() { throw new Error(${message(name)}); } }`).join('\n');
}

/**
 * esbuild plugin: Kysely's imports of STUBBED_KYSELY_MODULES resolve to stubs (namespace
 * `kysely-stub`, so a bundle's metafile shows which it got) whose classes throw if ever constructed.
 */
export const kyselyStubs: Plugin = {
  name: 'kysely-stubs',
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, ({ path, importer, namespace }) => {
      if (namespace !== 'file' || !KYSELY_ESM.test(importer)) return undefined;
      const file = resolve(dirname(importer), path);
      const module = stubbedModule(file);
      return module === undefined ? undefined : { path: module, namespace: 'kysely-stub', pluginData: file };
    });
    build.onLoad({ filter: /.*/, namespace: 'kysely-stub' }, async ({ path, pluginData }) => ({
      contents: stubModule(path, await readFile(pluginData as string, 'utf8')),
      loader: 'js',
    }));
  },
};
