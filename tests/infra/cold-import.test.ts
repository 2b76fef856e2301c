import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES, DOMAIN_EVENTS } from '../../shared/events/catalog';
import { handlerModules } from '../../infra/handler-bundles';
import { REPO_ROOT } from '../../infra/paths';
import { useHandlerBundles } from '../support/handler-bundles';

const bundles = useHandlerBundles('test-cold-import');

// One fresh `node` per handler (env PATH only, as on a cold start) imports its bundle and reports:
// - `registered`: the docs metadata of every schema built meanwhile (z.described, z.withMeta),
//   through a registry of its own that records them (zod takes one found on globalThis);
// - `opened`: which of stdout and stderr were opened (process' getters open a stream on first read).
const IMPORT_AND_REPORT = `
import { writeSync } from 'node:fs';
import { registry } from 'zod/v4/core';
const registered = [];
const recording = registry();
const add = recording.add.bind(recording);
recording.add = (schema, meta) => { registered.push(meta); return add(schema, meta); };
globalThis.__zod_globalRegistry = recording;
const opened = [];
for (const name of ['stdout', 'stderr']) {
  const { get } = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get() { opened.push(name); return get.call(process); } });
}
await import(process.argv[1]);
writeSync(1, JSON.stringify({ registered, opened }));`;

interface ImportReport {
  registered: Array<{ id?: string; description?: string }>;
  opened: string[];
}

const reports = new Map<string, ImportReport>();

/** What a cold import of the handler's bundle built and opened (one child process per handler, asked once). */
function importReport(handler: string): ImportReport {
  const known = reports.get(handler);
  if (known !== undefined) return known;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_AND_REPORT, pathToFileURL(bundles.get(handler)!.outfile).href], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`importing ${handler} failed: ${child.stderr.slice(0, 500)}`);
  const report = JSON.parse(child.stdout) as ImportReport;
  reports.set(handler, report);
  return report;
}

describe('what a handler builds at import (its cold start)', () => {
  // recordDomainEvent checks a detail against its type's schema when it records one: a function
  // records a type or two, and builds each type's schema then (catalog.ts), not all 22 at import.
  const eventDescriptions = new Set(DOMAIN_EVENT_TYPES.map((type) => DOMAIN_EVENTS[type].description));
  it.each(handlerModules())('builds no domain event schema at import in %s', (handler) => {
    const described = importReport(handler).registered.map((meta) => meta.description);
    expect(described.filter((description) => description !== undefined && eventDescriptions.has(description))).toEqual([]);
  });

  // A route's response schema types its handler's result and documents it; no handler parses
  // with it (z.responseSchema builds it on first use). Every named component (`id`) is one.
  it.each(handlerModules())('builds no response schema at import in %s', (handler) => {
    expect(importReport(handler).registered.flatMap((meta) => meta.id ?? [])).toEqual([]);
  });

  // Every repository sizes its reads from db/table-widths.ts, which needs the calculation state's
  // size (distributions/calculation/state-size.ts) but none of the calculation's limits, derived at import.
  it.each(['functions/users/list-users.ts', 'functions/projects/get-project.ts', 'functions/proposals/approve-proposal.ts'])(
    'carries no allocation calculation limits in %s',
    (handler) => {
      expect(Object.keys(bundles.get(handler)!.inputs)).not.toContain('shared/distributions/calculation/calculation-limits.ts');
    },
  );

  // The logger and the metrics open their console on first write (shared/own-console.ts): an
  // answer that logs nothing, as a successful API answer does, never pays for the streams.
  it.each(handlerModules())('opens neither stdout nor stderr at import in %s', (handler) => {
    expect(importReport(handler).opened).toEqual([]);
  });

  // Lambda runs without --enable-source-maps, which reads and indexes a bundle's map as it loads
  // (5–6 ms of a cold start): the logger's module maps stacks itself, reading the map when the
  // first stack is formatted (shared/source-mapped-stacks.ts). The handlers throw on an event
  // that is not theirs, from inside the bundle.
  const THROW_AND_PRINT_STACK = `
const { handler } = await import(process.argv[1]);
const { renameSync } = await import('node:fs');
if (process.argv[2] === 'hide-map') renameSync(process.argv[3], process.argv[3] + '.hidden');
try {
  await handler({}, { awsRequestId: 'cold-import', getRemainingTimeInMillis: () => 1000 });
} catch (error) {
  process.stdout.write(error.stack);
}`;
  const stackOf = (outfile: string, ...args: string[]) => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', THROW_AND_PRINT_STACK, pathToFileURL(outfile).href, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`running ${outfile} failed: ${child.stderr.slice(0, 500)}`);
    return child.stdout.split('\n').slice(1);
  };
  const THROWING = ['functions/users/list-users.ts', 'functions/health/get-health.ts', 'functions/workers/calculate-allocations.ts'];

  it.each(THROWING)('writes stacks that name the TypeScript sources in %s', (handler) => {
    const [first] = stackOf(bundles.get(handler)!.outfile);
    expect(first).toMatch(/\/shared\/[\w/-]+\.ts:\d+:\d+\)?$/);
  });

  it.each(THROWING)('reads no source map before a stack is formatted in %s', (handler) => {
    // A copy of the asset, whose map goes away once the bundle has loaded: a map read at import would still map.
    const asset = dirname(bundles.get(handler)!.outfile);
    const copy = `${asset}-map-read-late`;
    cpSync(asset, copy, { recursive: true });
    try {
      const [first] = stackOf(`${copy}/index.mjs`, 'hide-map', `${copy}/index.mjs.map`);
      expect(first).toMatch(/index\.mjs:\d+:\d+\)?$/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
