import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { BUNDLE_BUDGET_KB, type HandlerBundle, bundleHandlers, handlerModules } from '../../infra/handler-bundles';
import { REPO_ROOT } from '../../infra/paths';

const dir = join(REPO_ROOT, '.local', `test-bundles-${process.pid}`);
const bundles = new Map<string, HandlerBundle>();

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  for (const bundle of await bundleHandlers(handlerModules(), dir)) bundles.set(bundle.handler, bundle);
}, 300_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Lambda bundles (bundled as infra bundles them)', () => {
  it.each(handlerModules())(`keeps %s within ${BUNDLE_BUDGET_KB} KB minified`, (handler) => {
    expect(Math.round(bundles.get(handler)!.bytes / 1024)).toBeLessThanOrEqual(BUNDLE_BUDGET_KB);
  });

  // The OpenAPI document is the table's one reader at run time.
  it.each(handlerModules().filter((handler) => handler !== 'functions/docs/get-openapi.ts'))(
    'keeps the whole route table (and every area’s schemas) out of %s',
    (handler) => {
      expect(Object.keys(bundles.get(handler)!.inputs)).not.toContain('functions/routes.ts');
    },
  );

  // `import { z } from 'zod'` is zod's namespace as a value: every locale (258 KB) comes with it.
  it.each(handlerModules())('carries none of zod’s locales but English in %s', (handler) => {
    const locales = Object.keys(bundles.get(handler)!.inputs).filter((input) => /zod\/v4\/locales\/(?!en\.js)/.test(input));
    expect(locales).toEqual([]);
  });

  // Only a POST takes an Idempotency-Key (shared/http/post-handler.ts); Powertools Idempotency and
  // its JMESPath weigh about 40 KB on every other cold start.
  const postHandlers = new Set<string>(Object.values(routes).filter((route) => route.method === 'POST').map((route) => route.handler));
  it.each(handlerModules().filter((handler) => !postHandlers.has(handler)))('carries no Powertools Idempotency in %s (not a POST)', (handler) => {
    const idempotency = Object.keys(bundles.get(handler)!.inputs).filter((input) => /@aws-lambda-powertools\/(idempotency|jmespath)\//.test(input));
    expect(idempotency).toEqual([]);
  });
});
