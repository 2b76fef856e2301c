import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { routes } from '../../functions/routes';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { type Exercised, unexercisedSuccesses } from '../support/response-check';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the API client writes which operation answered with which status (tests/support/api.ts). */
    responseLogDir: string;
  }
}

async function readExercised(dir: string): Promise<Exercised[]> {
  const files = await readdir(dir);
  const texts = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Exercised));
}

/**
 * Once per run of an integration project: every response the API client receives is checked
 * against the OpenAPI document as it arrives (tests/support/api.ts), and recorded. When the run
 * took every test file of the project, this fails it for each documented success (operation and
 * 2xx status) that no test received: each needs a test that gets it.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'tokenstocks-responses-'));
  project.provide('responseLogDir', dir);

  return async () => {
    try {
      const { testFiles } = await project.globTestFiles();
      const ran = new Set(project.vitest.state.getTestModules().filter((module) => module.project.name === project.name).map((module) => module.moduleId));
      if (!testFiles.every((file) => ran.has(file))) return;
      const missing = unexercisedSuccesses(buildOpenApiDocument(routes), await readExercised(dir));
      if (missing.length > 0) {
        throw new Error(`[${project.name}] No integration test received these documented successes; add a test for each:\n  ${missing.join('\n  ')}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
