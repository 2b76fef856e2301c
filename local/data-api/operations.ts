import type * as z from '../../shared/zod';
import type pg from 'pg';
import type { CallStatsRecorder } from './call-stats';
import type { ServerlessCluster } from './cluster';
import type { Databases, Transactions } from './connections';
import { badRequest } from './errors';
import { runStatement, type StatementLimits } from './execute';
import { type PositionalStatement, toPositional } from './parameters';
import { type ExecuteResult, toExecuteResult } from './records';
import { assertWithinResultLimits, responseBytes } from './result-limits';
import type { batchExecuteStatementRequest, beginTransactionRequest, endTransactionRequest, ExecuteStatementRequest } from './requests';

export interface Emulator {
  databases: Databases;
  transactions: Transactions;
  cluster: ServerlessCluster;
  statementTimeoutMs: number;
  /** The database a call that names none works on. */
  defaultDatabase: string;
  stats: CallStatsRecorder;
}

type Work<T> = (client: pg.PoolClient, database: string) => Promise<T>;

/** Runs `work` inside the call's transaction, or on a connection of its own that autocommits. */
async function onConnection<T>(
  emulator: Emulator,
  call: { transactionId?: string; database?: string },
  work: Work<T>,
): Promise<T> {
  if (call.transactionId !== undefined) return emulator.transactions.use(call.transactionId, work);
  const database = call.database ?? emulator.defaultDatabase;
  const client = await emulator.databases.checkout(database);
  try {
    return await work(client, database);
  } finally {
    emulator.databases.release(client);
  }
}

function limitsFor(emulator: Emulator, database: string, continueAfterTimeout = false): StatementLimits {
  return {
    timeoutMs: emulator.statementTimeoutMs,
    continueAfterTimeout,
    cancel: (processId) => emulator.databases.cancel(database, processId),
  };
}

/** runStatement, timed into the emulator's stats (a statement cut off at the timeout included). */
async function timedStatement(emulator: Emulator, client: pg.PoolClient, statement: PositionalStatement, limits: StatementLimits) {
  const started = performance.now();
  try {
    return await runStatement(client, statement, limits);
  } finally {
    emulator.stats.statement(performance.now() - started);
  }
}

function refuseUnsupported(call: { schema?: string; formatRecordsAs?: string }): void {
  if (call.schema !== undefined) throw badRequest("The schema parameter isn't supported");
  if (call.formatRecordsAs === 'JSON') throw badRequest('formatRecordsAs JSON is not emulated');
}

export async function executeStatement(emulator: Emulator, call: ExecuteStatementRequest): Promise<ExecuteResult> {
  refuseUnsupported(call);
  const statement = toPositional(call.sql, call.parameters);
  return onConnection(emulator, call, async (client, database) => {
    const rows = await timedStatement(emulator, client, statement, limitsFor(emulator, database, call.continueAfterTimeout));
    const types = await emulator.databases.typesOf(client, database, rows.fields.map((field) => field.dataTypeID));
    const result = toExecuteResult(rows, types, { includeResultMetadata: call.includeResultMetadata, options: call.resultSetOptions });
    const bytes = responseBytes(result);
    emulator.stats.response(bytes);
    // Inside the work: a refused result fails the call, which aborts its transaction.
    assertWithinResultLimits(result, bytes);
    return result;
  });
}

/** Runs the statement once per parameter set, in order, on one connection. */
export async function batchExecuteStatement(
  emulator: Emulator,
  call: z.output<typeof batchExecuteStatementRequest>,
): Promise<{ updateResults: { generatedFields: [] }[] }> {
  refuseUnsupported(call);
  const statements = (call.parameterSets ?? []).map((parameters) => toPositional(call.sql, parameters));
  return onConnection(emulator, call, async (client, database) => {
    for (const statement of statements) await timedStatement(emulator, client, statement, limitsFor(emulator, database));
    return { updateResults: statements.map(() => ({ generatedFields: [] as [] })) };
  });
}

export async function beginTransaction(
  emulator: Emulator,
  call: z.output<typeof beginTransactionRequest>,
): Promise<{ transactionId: string }> {
  refuseUnsupported(call);
  return { transactionId: await emulator.transactions.begin(call.database ?? emulator.defaultDatabase) };
}

export async function commitTransaction(emulator: Emulator, call: z.output<typeof endTransactionRequest>) {
  await emulator.transactions.commit(call.transactionId);
  return { transactionStatus: 'Transaction Committed' };
}

export async function rollbackTransaction(emulator: Emulator, call: z.output<typeof endTransactionRequest>) {
  await emulator.transactions.rollback(call.transactionId);
  return { transactionStatus: 'Rollback Complete' };
}
