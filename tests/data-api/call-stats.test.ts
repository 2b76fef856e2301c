import { BadRequestException, DatabaseErrorException, type ExecuteStatementCommandInput, RDSData } from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DataApiEmulator, startDataApiEmulator } from '../../local/data-api/server';

/**
 * The emulator's call stats, which the benchmark reads around a run to see how close it comes
 * to the Data API's limits. Runs in the integration-data-api project, on this file's own database.
 */
let emulator: DataApiEmulator;
let client: RDSData;
const execute = (input: Omit<ExecuteStatementCommandInput, 'resourceArn' | 'secretArn'>) =>
  client.executeStatement({
    resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:call-stats-test',
    secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:call-stats-test-AbCdEf',
    database: process.env.DB_NAME,
    ...input,
  });

beforeAll(async () => {
  emulator = await startDataApiEmulator({ postgresUrl: inject('postgresAdminUrl') });
  client = new RDSData({ endpoint: emulator.endpoint });
});
afterAll(async () => {
  await emulator.close();
});

describe('the emulator call stats', () => {
  it('keep the largest request and response, the slowest statement and the totals, then start afresh', async () => {
    emulator.takeStats();

    await execute({ sql: `SELECT repeat('x', 1000) AS v` });
    await execute({ sql: 'SELECT pg_sleep(0.2)' });
    const stats = emulator.takeStats();

    expect(stats.maxResponseBytes).toBeGreaterThan(1000);
    expect(stats.maxResponseBytes).toBeLessThan(1100);
    expect(stats.maxRequestBytes).toBeGreaterThan(0);
    expect(stats.maxStatementMs).toBeGreaterThanOrEqual(200);
    expect(stats.firstError).toBeNull();
    expect(stats.calls).toBe(2);
    expect(stats.responseBytes).toBeGreaterThan(stats.maxResponseBytes);
    expect(stats.statementMs).toBeGreaterThanOrEqual(stats.maxStatementMs);
    expect(emulator.takeStats()).toEqual({
      maxRequestBytes: 0,
      maxResponseBytes: 0,
      maxStatementMs: 0,
      firstError: null,
      calls: 0,
      responseBytes: 0,
      statementMs: 0,
    });
  });

  it('measure a refused response and keep the first error answered', async () => {
    emulator.takeStats();

    await expect(execute({ sql: `SELECT repeat('x', 1000) FROM generate_series(1, 1100)` })).rejects.toThrow(BadRequestException);
    await expect(execute({ sql: 'SELECT * FROM no_such_table' })).rejects.toThrow(DatabaseErrorException);
    const stats = emulator.takeStats();

    expect(stats.maxResponseBytes).toBeGreaterThan(1024 * 1024);
    expect(stats.firstError).toBe('BadRequestException: Database returned more than the allowed response size limit');
  });
});
