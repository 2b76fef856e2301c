import type { TestProject } from 'vitest/node';
import { startDataApiEmulator } from '../../local/data-api/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set only in the integration-data-api project: where the RDS Data API emulator listens. */
    dataApiEndpoint?: string;
  }
}

/**
 * Once per run of the integration-data-api project, after postgres-server.ts: the RDS Data API
 * emulator in front of the test Postgres, so every test reaches its database through the real
 * AWS SDK client, as the Lambdas do.
 */
export default async function setup(project: TestProject) {
  const emulator = await startDataApiEmulator({ postgresUrl: project.getProvidedContext().postgresAdminUrl });
  project.provide('dataApiEndpoint', emulator.endpoint);
  return () => emulator.close();
}
