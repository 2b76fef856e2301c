import { afterEach, describe, expect, it, vi } from 'vitest';

async function freshConfig() {
  vi.resetModules();
  return import('../../shared/config');
}

describe('databaseConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('chooses the Data API when the cluster is configured', async () => {
    // Prepare
    vi.stubEnv('DB_CLUSTER_ARN', 'arn:aws:rds:eu-west-1:123456789012:cluster:db');
    vi.stubEnv('DB_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db');
    vi.stubEnv('DB_NAME', 'tokenstocks');

    // Act
    const { databaseConfig } = await freshConfig();

    // Assess
    expect(databaseConfig()).toEqual({
      driver: 'data-api',
      resourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:db',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      database: 'tokenstocks',
    });
    expect(Object.isFrozen(databaseConfig())).toBe(true);
  });

  it('names the missing variable instead of guessing', async () => {
    vi.stubEnv('DB_CLUSTER_ARN', 'arn:aws:rds:eu-west-1:123456789012:cluster:db');
    vi.stubEnv('DB_SECRET_ARN', undefined);
    vi.stubEnv('DB_NAME', 'tokenstocks');
    const { databaseConfig, ConfigError } = await freshConfig();
    expect(() => databaseConfig()).toThrow(ConfigError);
    expect(() => databaseConfig()).toThrow(/DB_SECRET_ARN/);
  });

  it('refuses to start with no database at all', async () => {
    vi.stubEnv('DB_CLUSTER_ARN', undefined);
    vi.stubEnv('DATABASE_URL', undefined);
    const { databaseConfig } = await freshConfig();
    expect(() => databaseConfig()).toThrow(/No database configured/);
  });
});
