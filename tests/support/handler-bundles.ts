import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type HandlerBundle, bundleHandlers, handlerModules } from '../../infra/handler-bundles';
import { REPO_ROOT } from '../../infra/paths';

/**
 * Every handler bundled as infra bundles it, once for the test file (in `.local/`, so that the
 * external `@aws-sdk/*` resolve), by handler module; removed after the file's tests.
 */
export function useHandlerBundles(name: string): Map<string, HandlerBundle> {
  const dir = join(REPO_ROOT, '.local', `${name}-${process.pid}`);
  const bundles = new Map<string, HandlerBundle>();
  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    for (const bundle of await bundleHandlers(handlerModules(), dir)) bundles.set(bundle.handler, bundle);
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return bundles;
}
