import { once } from 'node:events';
import { join } from 'node:path';
import { closeDb, getDb } from '../shared/db/client';
import { migrateToLatest } from '../shared/db/migrator';
import { dataDir } from './data-dir';
import { createGateway } from './gateway';
import { localIdentityProvider } from './jwt';
import { createLambdaRuntime } from './lambda/runtime';
import { startPostgres } from './postgres';
import { startLocalQueues } from './queues';
import { startLocalStepFunctions } from './step-functions';
import { startWorkers } from './workers';
import { redemptionApprovalTimeoutSeconds } from '../shared/config';

const DATABASE = 'tokenstocks';

/**
 * `npm start`: a real Postgres under DATA_DIR, migrations applied, and every route of the
 * table served at http://127.0.0.1:${PORT}. Ctrl-C stops it all; the data stays for next time.
 */
async function main() {
  const dir = dataDir();
  const port = Number(process.env.PORT ?? 3000);
  const pgPort = Number(process.env.PG_PORT ?? 54329);

  const postgres = await startPostgres({ dataDir: join(dir, 'postgres'), port: pgPort });
  await postgres.createDatabase(DATABASE);
  process.env.DATABASE_URL = postgres.urlFor(DATABASE);
  const applied = await migrateToLatest(getDb());
  console.log(`postgres  ${postgres.urlFor(DATABASE)} (migrations applied: ${applied.length === 0 ? 'none pending' : applied.join(', ')})`);

  const localQueues = await startLocalQueues({
    port: Number(process.env.SQS_PORT ?? 9324),
    dataDir: join(dir, 'sqs'),
    visibilityTimeoutSeconds: process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS === undefined ? undefined : Number(process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS),
  });
  Object.assign(process.env, localQueues.env);
  const stepFunctions = await startLocalStepFunctions({
    port: Number(process.env.SFN_PORT ?? 8083),
    approvalTimeoutSeconds: redemptionApprovalTimeoutSeconds(),
  });
  Object.assign(process.env, stepFunctions.env);
  const runtime = createLambdaRuntime();
  const workers = startWorkers(localQueues, runtime);
  console.log(`sfn       ${stepFunctions.endpoint} (redemption approval workflow, approval window ${redemptionApprovalTimeoutSeconds()} s)`);
  console.log(`sqs       ${localQueues.server.address} (${Object.keys(localQueues.queues).map((q) => `${q}, ${q}-dlq`).join(', ')})`);

  const identity = await localIdentityProvider(dir);
  const gateway = createGateway({ identity, runtime });
  gateway.listen(port, '127.0.0.1');
  await once(gateway, 'listening');
  console.log(`api       http://127.0.0.1:${port}/api/health`);
  console.log(`token     npm run token -- --role admin --sub <uuid> --email you@example.com`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    gateway.closeAllConnections();
    gateway.close();
    await workers.stop();
    await runtime.stop();
    await stepFunctions.stop();
    await localQueues.stop();
    await closeDb();
    await postgres.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
