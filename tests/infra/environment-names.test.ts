import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { queues } from '../../functions/workers';
import { ENV_NAMES } from '../../shared/env-names';
import { appFunctionEnvironments, synthesizeStage } from './synthesize';

/**
 * Issue 14, item 3: the names infrastructure binds are read from the same tables the code reads
 * (shared/env-names.ts, the queue table, a route's bundled files), so a name set on a function is
 * one the code knows.
 */
const { stateless } = synthesizeStage({ approverEmails: 'ada@example.com, ben@example.com' });

/** Set by the runtime's own libraries' conventions, not read by shared/config.ts. */
const PLATFORM_NAMES = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL'];

describe('the environment infrastructure sets on functions', () => {
  const known = new Set<string>([
    ...PLATFORM_NAMES,
    ...Object.values(ENV_NAMES),
    ...Object.values(queues).map(({ envVar }) => envVar),
    ...Object.values(routes).flatMap((route) => ('bundledFiles' in route && route.bundledFiles ? [route.bundledFiles.dirEnv] : [])),
  ]);
  const setNames = [...new Set(appFunctionEnvironments(stateless).flatMap((variables) => Object.keys(variables)))].sort();

  it('names only variables of the shared tables', () => {
    expect(setNames.filter((name) => !known.has(name))).toEqual([]);
  });

  it.each(Object.values(ENV_NAMES))('sets %s on some function', (name) => {
    expect(setNames).toContain(name);
  });
});
