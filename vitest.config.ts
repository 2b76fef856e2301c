import { defineConfig } from 'vitest/config';

const shared = {
  env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One real Postgres per run; each file works on its own copy of the migrated template.
          globalSetup: ['tests/setup/postgres-server.ts'],
          setupFiles: ['tests/setup/test-database.ts'],
        },
      },
    ],
  },
});
