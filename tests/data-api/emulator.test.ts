import {
  BadRequestException,
  DatabaseErrorException,
  DatabaseResumingException,
  type ExecuteStatementCommandInput,
  type Field,
  RDSData,
  StatementTimeoutException,
  TransactionNotFoundException,
} from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type DataApiEmulator, startDataApiEmulator } from '../../local/data-api/server';

/**
 * The emulator, spoken to by the real SDK client, behaves as the RDS Data API documents.
 * Runs in the integration-data-api project, on this file's own test database.
 */
let emulator: DataApiEmulator;
let client: RDSData;
const target = () => ({
  resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:emulator-test',
  secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:emulator-test-AbCdEf',
  database: process.env.DB_NAME,
});
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const execute = (input: Omit<ExecuteStatementCommandInput, 'resourceArn' | 'secretArn'>) =>
  client.executeStatement({ ...target(), ...input });

beforeAll(async () => {
  vi.stubEnv('DATA_API_STATEMENT_TIMEOUT_MS', '1000');
  emulator = await startDataApiEmulator({ postgresUrl: inject('postgresAdminUrl') });
  vi.unstubAllEnvs();
  client = new RDSData({ endpoint: emulator.endpoint });
  await execute({ sql: 'CREATE TABLE emulator_rows (id uuid PRIMARY KEY, label text)' });
});
afterAll(async () => {
  await emulator.close();
});

describe('the RDS Data API emulator', () => {
  it('works on the database the call names', async () => {
    const { records } = await execute({ sql: 'SELECT current_database()' });
    expect(records).toEqual([[{ stringValue: process.env.DB_NAME }]]);
  });

  it.each([
    { sql: `SELECT 42::int4 AS v`, field: { longValue: 42 }, typeName: 'int4' },
    { sql: `SELECT 9007199254740991::int8 AS v`, field: { longValue: 9007199254740991 }, typeName: 'int8' },
    { sql: `SELECT 12.5000000::numeric(30, 7) AS v`, field: { stringValue: '12.5000000' }, typeName: 'numeric' },
    { sql: `SELECT 2.5::float8 AS v`, field: { doubleValue: 2.5 }, typeName: 'float8' },
    { sql: `SELECT true AS v`, field: { booleanValue: true }, typeName: 'bool' },
    { sql: `SELECT 'x'::text AS v`, field: { stringValue: 'x' }, typeName: 'text' },
    { sql: `SELECT NULL::text AS v`, field: { isNull: true }, typeName: 'text' },
    {
      sql: `SELECT '00000000-0000-4000-8000-000000000001'::uuid AS v`,
      field: { stringValue: '00000000-0000-4000-8000-000000000001' },
      typeName: 'uuid',
    },
    { sql: `SELECT '{"a": [1]}'::jsonb AS v`, field: { stringValue: '{"a": [1]}' }, typeName: 'jsonb' },
    {
      sql: `SELECT '2026-03-01 10:00:00.123456+02'::timestamptz AS v`,
      field: { stringValue: '2026-03-01 08:00:00.123456' },
      typeName: 'timestamptz',
    },
    { sql: `SELECT '2026-03-01 10:00:00'::timestamp AS v`, field: { stringValue: '2026-03-01 10:00:00' }, typeName: 'timestamp' },
    { sql: `SELECT '2026-03-01'::date AS v`, field: { stringValue: '2026-03-01' }, typeName: 'date' },
  ])('returns $typeName as $field', async ({ sql, field, typeName }) => {
    const result = await execute({ sql, includeResultMetadata: true });

    expect(result.records).toEqual([[field]]);
    expect(result.columnMetadata).toEqual([expect.objectContaining({ name: 'v', label: 'v', typeName })]);
    expect(result.numberOfRecordsUpdated).toBe(0);
  });

  it.each([
    { value: { stringValue: 'x' }, type: 'character varying' },
    { value: { stringValue: '00000000-0000-4000-8000-000000000001' }, typeHint: 'UUID', type: 'uuid' },
    { value: { stringValue: '12.50' }, typeHint: 'DECIMAL', type: 'numeric' },
    { value: { stringValue: '2026-03-01 10:00:00' }, typeHint: 'TIMESTAMP', type: 'timestamp without time zone' },
    { value: { stringValue: '2026-03-01' }, typeHint: 'DATE', type: 'date' },
    { value: { stringValue: '10:00:00' }, typeHint: 'TIME', type: 'time without time zone' },
    { value: { stringValue: '{"a":1}' }, typeHint: 'JSON', type: 'json' },
    { value: { longValue: 7 }, type: 'bigint' },
    { value: { doubleValue: 0.5 }, type: 'double precision' },
    { value: { booleanValue: false }, type: 'boolean' },
  ] as const)('sends $value with typeHint $typeHint as $type', async ({ value, typeHint, type }) => {
    const { records } = await execute({ sql: 'SELECT pg_typeof(:p)::text', parameters: [{ name: 'p', value: value as Field, typeHint }] });
    expect(records).toEqual([[{ stringValue: type }]]);
  });

  it('sends an untyped string as varchar, so comparing it with a uuid fails unless cast', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const untyped = execute({ sql: 'SELECT * FROM emulator_rows WHERE id = :id', parameters: [{ name: 'id', value: { stringValue: id } }] });
    await expect(untyped).rejects.toThrow(DatabaseErrorException);
    await expect(untyped).rejects.toThrow(/operator does not exist: uuid = character varying/);

    const cast = await execute({ sql: 'SELECT count(*) FROM emulator_rows WHERE id = cast(:id as uuid)', parameters: [{ name: 'id', value: { stringValue: id } }] });
    expect(cast.records).toEqual([[{ longValue: 0 }]]);
  });

  it('sends null as null and leaves :names in literals, comments and casts alone', async () => {
    const { records } = await execute({
      sql: `SELECT ':not_a_parameter' AS literal, /* :nor_this */ :n::text AS cast, :n IS NULL AS is_null`,
      parameters: [{ name: 'n', value: { isNull: true } }],
    });
    expect(records).toEqual([[{ stringValue: ':not_a_parameter' }, { isNull: true }, { booleanValue: true }]]);
  });

  it('answers a row just under 64 KB', async () => {
    const { records } = await execute({ sql: `SELECT repeat('x', 65000) AS v` });
    expect(records?.[0]?.[0]?.stringValue).toHaveLength(65000);
  });

  it('counts the rows a statement wrote', async () => {
    const insert = await execute({
      sql: `INSERT INTO emulator_rows (id, label) VALUES (gen_random_uuid(), 'a'), (gen_random_uuid(), 'b')`,
    });
    const update = await execute({ sql: `UPDATE emulator_rows SET label = 'c' RETURNING label` });

    expect(insert).toMatchObject({ numberOfRecordsUpdated: 2, generatedFields: [] });
    expect(insert.records).toBeUndefined();
    expect(update).toMatchObject({ numberOfRecordsUpdated: 2, records: [[{ stringValue: 'c' }], [{ stringValue: 'c' }]] });
    await execute({ sql: 'DELETE FROM emulator_rows' });
  });

  it.each([
    {
      case: 'array parameters',
      input: { sql: 'SELECT :a', parameters: [{ name: 'a', value: { arrayValue: { longValues: [1] } } }] },
      error: BadRequestException,
      message: 'Array parameters are not supported.',
    },
    { case: 'several statements in one call', input: { sql: 'SELECT 1; SELECT 2' }, error: DatabaseErrorException, message: /multiple commands/ },
    {
      case: 'a response over 1 MiB',
      input: { sql: `SELECT repeat('x', 60000) FROM generate_series(1, 20)` },
      error: BadRequestException,
      message: 'Database returned more than the allowed response size limit',
    },
    { case: 'a parameter the call does not give', input: { sql: 'SELECT :missing' }, error: BadRequestException, message: /:missing/ },
    {
      case: 'a row over 64 KB',
      input: { sql: `SELECT repeat('x', 70000)` },
      error: BadRequestException,
      message: 'Packet for query is too large',
    },
  ])('refuses $case', async ({ input, error, message }) => {
    const call = execute(input);
    await expect(call).rejects.toThrow(error);
    await expect(call).rejects.toThrow(message);
  });

  it('cuts a statement off at the time limit (DATA_API_STATEMENT_TIMEOUT_MS) and cancels it', async () => {
    const started = Date.now();

    await expect(execute({ sql: 'SELECT pg_sleep(5)' })).rejects.toThrow(StatementTimeoutException);

    expect(Date.now() - started).toBeLessThan(3000);
    const { records } = await execute({ sql: `SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'` });
    expect(records).toEqual([[{ longValue: 0 }]]);
  });

  describe('transactions', () => {
    const insertRow = (transactionId: string, label: string) =>
      execute({ transactionId, sql: `INSERT INTO emulator_rows (id, label) VALUES (gen_random_uuid(), :label)`, parameters: [{ name: 'label', value: { stringValue: label } }] });
    const labels = async () => (await execute({ sql: 'SELECT label FROM emulator_rows ORDER BY label' })).records?.map(([field]) => field?.stringValue);

    it('commit what ran under their id and roll back the rest', async () => {
      const kept = (await client.beginTransaction(target())).transactionId ?? '';
      const dropped = (await client.beginTransaction(target())).transactionId ?? '';
      await insertRow(kept, 'kept');
      await insertRow(dropped, 'dropped');

      expect(await labels()).toEqual([]);
      expect(await client.commitTransaction({ ...target(), transactionId: kept })).toMatchObject({ transactionStatus: 'Transaction Committed' });
      expect(await client.rollbackTransaction({ ...target(), transactionId: dropped })).toMatchObject({ transactionStatus: 'Rollback Complete' });
      expect(await labels()).toEqual(['kept']);
      await execute({ sql: 'DELETE FROM emulator_rows' });
    });

    it('are unknown once ended, or when never begun', async () => {
      const transactionId = (await client.beginTransaction(target())).transactionId ?? '';
      await client.rollbackTransaction({ ...target(), transactionId });

      await expect(insertRow(transactionId, 'late')).rejects.toThrow(TransactionNotFoundException);
      await expect(client.commitTransaction({ ...target(), transactionId: 'never-begun' })).rejects.toThrow(TransactionNotFoundException);
    });

    it('are aborted by a statement that fails: its work is undone and the id is gone, Rollback included', async () => {
      const transactionId = (await client.beginTransaction(target())).transactionId ?? '';
      await insertRow(transactionId, 'before the failure');

      await expect(execute({ transactionId, sql: 'SELECT 1/0' })).rejects.toThrow(/division by zero/);

      const aborted = new RegExp(`Transaction ${escape(transactionId)} isn't found. Transaction has been aborted due to an error from a previous call`);
      for (const call of [
        () => insertRow(transactionId, 'after the failure'),
        () => client.commitTransaction({ ...target(), transactionId }),
        () => client.rollbackTransaction({ ...target(), transactionId }),
      ]) {
        const answer = call();
        await expect(answer).rejects.toThrow(TransactionNotFoundException);
        await expect(answer).rejects.toThrow(aborted);
      }
      expect(await labels()).toEqual([]);
    });

    it('are aborted by a result the Data API refuses (a row over 64 KB)', async () => {
      const transactionId = (await client.beginTransaction(target())).transactionId ?? '';

      await expect(execute({ transactionId, sql: `SELECT repeat('x', 70000)` })).rejects.toThrow('Packet for query is too large');

      await expect(client.rollbackTransaction({ ...target(), transactionId })).rejects.toThrow(TransactionNotFoundException);
    });

    it('say why an id is unknown: ended by Commit or Rollback, or never begun (or expired)', async () => {
      const committed = (await client.beginTransaction(target())).transactionId ?? '';
      await client.commitTransaction({ ...target(), transactionId: committed });

      await expect(client.rollbackTransaction({ ...target(), transactionId: committed })).rejects.toThrow(
        `Transaction ${committed} isn't found. One previous call resulted in a termination of your transaction`,
      );
      await expect(client.rollbackTransaction({ ...target(), transactionId: 'never-begun' })).rejects.toThrow(
        "Transaction never-begun isn't found. Transaction may be expired",
      );
    });

    it('are rolled back once unused for the idle limit (3 minutes on AWS)', async () => {
      const idle = await startDataApiEmulator({ postgresUrl: inject('postgresAdminUrl'), transactionIdleMs: 200 });
      const idleClient = new RDSData({ endpoint: idle.endpoint });
      try {
        const transactionId = (await idleClient.beginTransaction(target())).transactionId ?? '';
        await idleClient.executeStatement({ ...target(), transactionId, sql: `INSERT INTO emulator_rows (id, label) VALUES (gen_random_uuid(), 'idle')` });

        await new Promise((resolve) => setTimeout(resolve, 400));

        await expect(idleClient.commitTransaction({ ...target(), transactionId })).rejects.toThrow(
          `Transaction ${transactionId} isn't found. Transaction may be expired`,
        );
        expect(await labels()).toEqual([]);
      } finally {
        idleClient.destroy();
        await idle.close();
      }
    });

    it('refuse a call while another is still running in them', async () => {
      const transactionId = (await client.beginTransaction(target())).transactionId ?? '';
      const slow = execute({ transactionId, sql: 'SELECT pg_sleep(0.3)' });

      await expect(execute({ transactionId, sql: 'SELECT 1' })).rejects.toThrow('Transaction is still running a query');
      await slow;
      await client.rollbackTransaction({ ...target(), transactionId });
    });
  });

  describe('a paused Aurora Serverless v2 cluster', () => {
    const resuming = /^The Aurora DB instance arn:aws:rds:us-east-1:000000000000:cluster:emulator-test is resuming after being auto-paused\. Please wait a few seconds and try again\.$/;

    async function withEmulator(options: { autoPauseAfterMs?: number; resumeMs?: number }, run: (paused: DataApiEmulator, client: RDSData) => Promise<void>) {
      const paused = await startDataApiEmulator({ postgresUrl: inject('postgresAdminUrl'), ...options });
      const pausedClient = new RDSData({ endpoint: paused.endpoint });
      try {
        await run(paused, pausedClient);
      } finally {
        pausedClient.destroy();
        await paused.close();
      }
    }

    it('answers every call with DatabaseResumingException (HTTP 400) until it has resumed', async () => {
      await withEmulator({}, async (paused, pausedClient) => {
        await paused.pause({ resumeMs: 1000 });
        const started = Date.now();

        const first = pausedClient.executeStatement({ ...target(), sql: 'SELECT 1' });
        await expect(first).rejects.toThrow(DatabaseResumingException);
        await expect(first).rejects.toMatchObject({ message: expect.stringMatching(resuming), $metadata: { httpStatusCode: 400 } });
        await expect(pausedClient.beginTransaction(target())).rejects.toThrow(DatabaseResumingException);
        expect(paused.clusterState).toBe('resuming');

        await new Promise((resolve) => setTimeout(resolve, 1200 - (Date.now() - started)));
        expect((await pausedClient.executeStatement({ ...target(), sql: 'SELECT 1' })).records).toEqual([[{ longValue: 1 }]]);
        expect(paused.clusterState).toBe('available');
      });
    });

    it('rolls back the transactions open when it pauses', async () => {
      await withEmulator({}, async (paused, pausedClient) => {
        const transactionId = (await pausedClient.beginTransaction(target())).transactionId ?? '';
        await pausedClient.executeStatement({ ...target(), transactionId, sql: `INSERT INTO emulator_rows (id, label) VALUES (gen_random_uuid(), 'paused')` });

        await paused.pause({ resumeMs: 0 });

        await expect(pausedClient.executeStatement({ ...target(), sql: 'SELECT 1' })).rejects.toThrow(DatabaseResumingException);
        await expect(pausedClient.commitTransaction({ ...target(), transactionId })).rejects.toThrow(TransactionNotFoundException);
        expect((await pausedClient.executeStatement({ ...target(), sql: 'SELECT count(*) FROM emulator_rows' })).records).toEqual([[{ longValue: 0 }]]);
      });
    });

    it('pauses by itself after the idle time (minCapacity 0), but never while a transaction is open', async () => {
      await withEmulator({ autoPauseAfterMs: 150, resumeMs: 0 }, async (paused, pausedClient) => {
        const transactionId = (await pausedClient.beginTransaction(target())).transactionId ?? '';
        await new Promise((resolve) => setTimeout(resolve, 250));
        await pausedClient.rollbackTransaction({ ...target(), transactionId });
        expect(paused.clusterState).toBe('available');

        await new Promise((resolve) => setTimeout(resolve, 250));

        expect(paused.clusterState).toBe('paused');
        await expect(pausedClient.executeStatement({ ...target(), sql: 'SELECT 1' })).rejects.toThrow(DatabaseResumingException);
        await expect(pausedClient.executeStatement({ ...target(), sql: 'SELECT 1' })).resolves.toMatchObject({ records: [[{ longValue: 1 }]] });
      });
    });
  });

  it('runs a batch once per parameter set', async () => {
    const { updateResults } = await client.batchExecuteStatement({
      ...target(),
      sql: `INSERT INTO emulator_rows (id, label) VALUES (gen_random_uuid(), :label)`,
      parameterSets: [[{ name: 'label', value: { stringValue: 'one' } }], [{ name: 'label', value: { stringValue: 'two' } }]],
    });

    expect(updateResults).toHaveLength(2);
    expect((await execute({ sql: 'SELECT count(*) FROM emulator_rows' })).records).toEqual([[{ longValue: 2 }]]);
    await execute({ sql: 'DELETE FROM emulator_rows' });
  });
});
