import { defineConfig } from 'vitest/config';

const shared = {
  // Metrics (EMF lines on stdout) only where a test turns them on (tests/integration/observability.test.ts).
  // Dual control off, as on the local stack; tests/integration/dual-control.test.ts turns it on.
  env: { POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', DUAL_CONTROL: 'off' },
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

const integration = {
  ...shared,
  include: ['tests/integration/**/*.test.ts'],
  // One real Postgres per run, and the check that every documented success was received
  // (tests/support/api.ts). Teardowns run last to first: the check, which fails the run by
  // throwing, comes first so that it runs after everything else has stopped.
  globalSetup: ['tests/setup/response-coverage.ts', 'tests/setup/postgres-server.ts'],
  // Each file works on its own copy of the migrated template.
  setupFiles: ['tests/setup/test-database.ts'],
};

export default defineConfig({
  test: {
    // Most of a test file's time is spent waiting (on Postgres, the emulators, the functions'
    // execution environments, a workflow's timers), so files run three at a time even on two cores
    // (vitest's default there is one).
    maxWorkers: 3,
    projects: [
      { test: { ...shared, name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { ...shared, name: 'infra', include: ['tests/infra/**/*.test.ts'] } },
      // `npm start` as a child process with its own DATA_DIR and Postgres: once per run.
      { test: { ...shared, name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
      { test: { ...integration, name: 'integration' } },
      {
        // The same integration tests with every query going through the real RDS Data API
        // client to a local emulator of the service, as on Lambda.
        test: {
          ...integration,
          name: 'integration-data-api',
          include: [...integration.include, 'tests/data-api/**/*.test.ts'],
          globalSetup: [...integration.globalSetup, 'tests/setup/data-api-server.ts'],
          env: { ...shared.env, AWS_ACCESS_KEY_ID: 'emulator', AWS_SECRET_ACCESS_KEY: 'emulator', AWS_REGION: 'us-east-1' },
        },
      },
    ],
  },
});
