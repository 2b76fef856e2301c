import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as z from '../../shared/zod';
import { DATA_API_LIMITS } from '../../shared/db/data-api-limits';
import { type CallStats, CallStatsRecorder } from './call-stats';
import { type ClusterState, ServerlessCluster } from './cluster';
import { Databases, Transactions } from './connections';
import { badRequest, DataApiError } from './errors';
import {
  batchExecuteStatement,
  beginTransaction,
  commitTransaction,
  type Emulator,
  executeStatement,
  rollbackTransaction,
} from './operations';
import {
  batchExecuteStatementRequest,
  beginTransactionRequest,
  endTransactionRequest,
  executeStatementRequest,
  parseCall,
} from './requests';

export interface DataApiEmulatorOptions {
  /** The Postgres server; each call's `database` replaces the URL's database, which is the default. */
  postgresUrl: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The Data API cuts a call off after 45 s; tests shorten it. Default: DATA_API_STATEMENT_TIMEOUT_MS or 45 000. */
  statementTimeoutMs?: number;
  /** A transaction unused this long is rolled back (3 minutes on AWS, the default); tests shorten it. */
  transactionIdleMs?: number;
  /** Auto-pause like an Aurora Serverless v2 cluster with minCapacity 0 after this much idle time; never when unset. */
  autoPauseAfterMs?: number;
  /** How long a paused cluster takes to resume (default 15 s, as AWS quotes). */
  resumeMs?: number;
}

export interface DataApiEmulator {
  /** Where to point the SDK: AWS_ENDPOINT_URL_RDS_DATA. */
  endpoint: string;
  /** available, paused or resuming. */
  readonly clusterState: ClusterState;
  /**
   * Pauses the cluster now, as auto-pause would (its open transactions are rolled back): every
   * call answers DatabaseResumingException until `resumeMs` after the first one.
   */
  pause(options?: { resumeMs?: number }): Promise<void>;
  /**
   * The largest request and response, the slowest statement and the first error since the last
   * call (or the start), then starts afresh: read around a workload to see how close it runs to
   * the Data API's limits.
   */
  takeStats(): CallStats;
  close(): Promise<void>;
}

const operation =
  <S extends z.ZodMiniType<{ resourceArn: string }>, R>(schema: S, run: (emulator: Emulator, call: z.output<S>) => Promise<R>) =>
  async (emulator: Emulator, body: unknown) => {
    const call = parseCall(schema, body);
    const finished = emulator.cluster.admit(call.resourceArn);
    try {
      return await run(emulator, call);
    } finally {
      finished();
    }
  };

/** The REST-JSON routes of the service model (POST /Execute is ExecuteStatement, …). */
const operations: Record<string, (emulator: Emulator, body: unknown) => Promise<unknown>> = {
  '/Execute': operation(executeStatementRequest, executeStatement),
  '/BatchExecute': operation(batchExecuteStatementRequest, batchExecuteStatement),
  '/BeginTransaction': operation(beginTransactionRequest, beginTransaction),
  '/CommitTransaction': operation(endTransactionRequest, commitTransaction),
  '/RollbackTransaction': operation(endTransactionRequest, rollbackTransaction),
};

async function readJson(request: IncomingMessage, stats: CallStatsRecorder): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > DATA_API_LIMITS.maxRequestBytes) throw badRequest('Request size exceeds the 4 MiB limit');
    chunks.push(chunk as Buffer);
  }
  stats.request(size);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw badRequest('The request body is not JSON');
  }
}

/** AWS JSON protocols name the error in x-amzn-errortype; the SDK builds its exception from it. */
function sendError(response: ServerResponse, type: string, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify(body));
}

function statementTimeoutFromEnv(): number {
  const value = Number(process.env.DATA_API_STATEMENT_TIMEOUT_MS ?? DATA_API_LIMITS.statementTimeoutMs);
  if (!Number.isInteger(value) || value <= 0) throw new Error('DATA_API_STATEMENT_TIMEOUT_MS must be a positive integer');
  return value;
}

/**
 * A local RDS Data API: the service's HTTP/JSON wire protocol in front of a real Postgres, so
 * the real @aws-sdk/client-rds-data (and kysely-data-api over it) runs unchanged against it.
 *
 * @example
 * const emulator = await startDataApiEmulator({ postgresUrl: 'postgres://postgres:postgres@127.0.0.1:54329/postgres' });
 * process.env.AWS_ENDPOINT_URL_RDS_DATA = emulator.endpoint;
 */
export async function startDataApiEmulator(options: DataApiEmulatorOptions): Promise<DataApiEmulator> {
  const databases = new Databases(options.postgresUrl);
  const transactions = new Transactions(databases, options.transactionIdleMs);
  const emulator: Emulator = {
    databases,
    transactions,
    cluster: new ServerlessCluster({
      autoPauseAfterMs: options.autoPauseAfterMs,
      resumeMs: options.resumeMs,
      hasOpenSessions: () => transactions.openCount > 0,
    }),
    statementTimeoutMs: options.statementTimeoutMs ?? statementTimeoutFromEnv(),
    defaultDatabase: decodeURIComponent(new URL(options.postgresUrl).pathname.slice(1)) || 'postgres',
    stats: new CallStatsRecorder(),
  };

  const server = createServer(async (request, response) => {
    const run = request.method === 'POST' ? operations[new URL(request.url ?? '/', 'http://localhost').pathname] : undefined;
    if (run === undefined) {
      sendError(response, 'UnknownOperationException', 404, { message: `No operation at ${request.method} ${request.url}` });
      return;
    }
    try {
      const result = await run(emulator, await readJson(request, emulator.stats));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
    } catch (error) {
      if (error instanceof DataApiError) {
        emulator.stats.error(error.type, error.message);
        sendError(response, error.type, error.status, { message: error.message, ...error.members });
        return;
      }
      emulator.stats.error('InternalServerErrorException', error instanceof Error ? error.message : String(error));
      console.error('[data-api]', error);
      sendError(response, 'InternalServerErrorException', 500, {});
    }
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${address}:${port}`,
    get clusterState() {
      return emulator.cluster.state;
    },
    pause: async (pauseOptions) => {
      emulator.cluster.pause(pauseOptions);
      await transactions.closeAll();
    },
    takeStats: () => emulator.stats.take(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.transactions.closeAll();
      await databases.close();
    },
  };
}
