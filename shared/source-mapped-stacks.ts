import type { SourceMap } from 'node:module';

/**
 * Stack traces that name the TypeScript sources, as Node's `--enable-source-maps` writes them,
 * with the bundle's source map read when the first stack with a frame of the bundle is formatted
 * instead of when the bundle loads: Node reads, parses and indexes the map of every module it
 * loads with the flag (5–6 ms of each cold start), and a successful answer formats no stack.
 * Nothing is loaded at import, not even node:fs (its ES module namespace costs ~2 ms to build).
 * Frames outside the bundle, and a bundle without its map, are written as V8 writes them.
 *
 * @example mapStacksOnFirstUse(import.meta.url) // from a module every bundle loads: the bundle's own URL
 */
export function mapStacksOnFirstUse(bundleUrl: string): void {
  // Only in a bundle (`.mjs`): the sources, run by tsx or vitest, keep the stacks those map themselves.
  if (!bundleUrl.startsWith('file:') || !bundleUrl.endsWith('.mjs')) return;
  // esbuild writes the map beside the bundle (`index.mjs.map`, named by its sourceMappingURL comment).
  const mapUrl = new URL(`${bundleUrl}.map`);
  let map: SourceMap | null | undefined;
  const sourceMap = (): SourceMap | null => {
    if (map === undefined) {
      try {
        const { readFileSync } = process.getBuiltinModule('node:fs');
        const { SourceMap: Decoder } = process.getBuiltinModule('node:module');
        map = new Decoder(JSON.parse(readFileSync(mapUrl, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  const inBundle = (site: NodeJS.CallSite) => site.getFileName() === bundleUrl;
  const frame = (site: NodeJS.CallSite, decoder: SourceMap): string => {
    const text = site.toString();
    const [line, column] = [site.getLineNumber(), site.getColumnNumber()];
    if (!inBundle(site) || line === null || column === null) return text;
    const entry = decoder.findEntry(line - 1, column - 1);
    if (!('originalSource' in entry)) return text;
    const source = new URL(entry.originalSource, mapUrl).href;
    return text.replace(`${bundleUrl}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) => {
    const decoder = sites.some(inBundle) ? sourceMap() : null;
    if (decoder === null && previous !== undefined) return previous(error, sites);
    return `${header(error)}${sites.map((site) => `\n    at ${decoder === null ? site.toString() : frame(site, decoder)}`).join('')}`;
  };
}

/** The first line of a stack as V8 writes it: `Name: message`. */
function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
