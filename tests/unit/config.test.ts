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

describe('calculationConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes a 60 s margin, enough for a 45 s statement and its commit, by default', async () => {
    vi.stubEnv('MAX_RECEIVE_COUNT', '5');
    const { calculationConfig, MAX_HOLDERS_PER_STATEMENT } = await freshConfig();
    expect(calculationConfig()).toEqual({ maxReceiveCount: 5, chunkSize: MAX_HOLDERS_PER_STATEMENT, timeMarginMs: 60_000 });
  });

  it.each([
    ['a margin shorter than the statement timeout and a commit', { CALCULATION_TIME_MARGIN_MS: '45000' }, /CALCULATION_TIME_MARGIN_MS: must be at least/],
    ['a statement timeout beyond the Data API’s', { DATA_API_STATEMENT_TIMEOUT_MS: '60000', CALCULATION_TIME_MARGIN_MS: '90000' }, /DATA_API_STATEMENT_TIMEOUT_MS/],
    ['more holders per statement than its time bound allows', { ALLOCATION_CHUNK_SIZE: '50001' }, /ALLOCATION_CHUNK_SIZE/],
  ])('refuses %s', async (_case, env, message) => {
    vi.stubEnv('MAX_RECEIVE_COUNT', '5');
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const { calculationConfig, ConfigError } = await freshConfig();
    expect(() => calculationConfig()).toThrow(ConfigError);
    expect(() => calculationConfig()).toThrow(message);
  });

  it('accepts a short margin when the statement timeout and the commit allowance are shorter still', async () => {
    vi.stubEnv('MAX_RECEIVE_COUNT', '5');
    vi.stubEnv('DATA_API_STATEMENT_TIMEOUT_MS', '1000');
    vi.stubEnv('CALCULATION_COMMIT_ALLOWANCE_MS', '200');
    vi.stubEnv('CALCULATION_TIME_MARGIN_MS', '1200');
    const { calculationConfig } = await freshConfig();
    expect(calculationConfig().timeMarginMs).toBe(1200);
  });
});

describe('withdrawalLimits', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to a minimum of 0.01 and 10 open requests per allocation', async () => {
    vi.stubEnv('WITHDRAWAL_MINIMUM_AMOUNT', undefined);
    vi.stubEnv('WITHDRAWAL_MAX_OPEN_PER_ALLOCATION', undefined);
    const { withdrawalLimits } = await freshConfig();
    expect(withdrawalLimits().minimumAmount.toFixed(7)).toBe('0.0100000');
    expect(withdrawalLimits().maxOpenPerAllocation).toBe(10);
    expect(Object.isFrozen(withdrawalLimits())).toBe(true);
  });

  it('takes both from the environment', async () => {
    vi.stubEnv('WITHDRAWAL_MINIMUM_AMOUNT', '0.0000001');
    vi.stubEnv('WITHDRAWAL_MAX_OPEN_PER_ALLOCATION', '3');
    const { withdrawalLimits } = await freshConfig();
    expect(withdrawalLimits().minimumAmount.toFixed(7)).toBe('0.0000001');
    expect(withdrawalLimits().maxOpenPerAllocation).toBe(3);
  });

  it.each([
    ['a minimum of zero', { WITHDRAWAL_MINIMUM_AMOUNT: '0' }, /WITHDRAWAL_MINIMUM_AMOUNT: must be greater than zero/],
    ['a minimum finer than the amounts', { WITHDRAWAL_MINIMUM_AMOUNT: '0.00000001' }, /WITHDRAWAL_MINIMUM_AMOUNT/],
    ['a minimum that is not a decimal', { WITHDRAWAL_MINIMUM_AMOUNT: '1e3' }, /WITHDRAWAL_MINIMUM_AMOUNT/],
    ['a minimum past what an amount holds', { WITHDRAWAL_MINIMUM_AMOUNT: '10000000000000' }, /WITHDRAWAL_MINIMUM_AMOUNT: must be at most 9999999999999.9999999/],
    ['no open request at all', { WITHDRAWAL_MAX_OPEN_PER_ALLOCATION: '0' }, /WITHDRAWAL_MAX_OPEN_PER_ALLOCATION/],
    ['a fractional cap', { WITHDRAWAL_MAX_OPEN_PER_ALLOCATION: '2.5' }, /WITHDRAWAL_MAX_OPEN_PER_ALLOCATION/],
  ])('refuses %s', async (_case, env, message) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const { withdrawalLimits, ConfigError } = await freshConfig();
    expect(() => withdrawalLimits()).toThrow(ConfigError);
    expect(() => withdrawalLimits()).toThrow(message);
  });
});

describe('dualControlEnabled', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ['on', true],
    ['off', false],
  ])('reads DUAL_CONTROL=%s', async (value, enabled) => {
    vi.stubEnv('DUAL_CONTROL', value);
    const { dualControlEnabled } = await freshConfig();
    expect(dualControlEnabled()).toBe(enabled);
  });

  it.each([
    ['missing', undefined],
    ['anything but on or off', 'true'],
  ])('refuses a DUAL_CONTROL %s instead of running without it', async (_case, value) => {
    vi.stubEnv('DUAL_CONTROL', value);
    const { dualControlEnabled, ConfigError } = await freshConfig();
    expect(() => dualControlEnabled()).toThrow(ConfigError);
    expect(() => dualControlEnabled()).toThrow(/DUAL_CONTROL: must be on or off/);
  });
});
