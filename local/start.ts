import { once } from 'node:events';
import { join } from 'node:path';
import { closeDb } from '../shared/db/client';
import { localDatabaseMode, startLocalDatabase } from './database';
import { dataDir } from './data-dir';
import { startLocalEventBus } from './event-bus';
import { createGateway } from './gateway';
import { localIdentityProvider } from './jwt';
import { createLambdaRuntime } from './lambda/runtime';
import { startLocalQueues } from './queues';
import { invokeScheduleIn, startSchedules } from './schedules';
import { invokeStepIn, startLocalStepFunctions } from './step-functions';
import { localThrottleSettings } from './throttle';
import { startWorkers } from './workers';
import { ConfigError, dualControlEnabled, redemptionApprovalTimeoutSeconds } from '../shared/config';
import { plainMessageOf } from './cli';

/**
 * `npm start`: a real Postgres under DATA_DIR, migrations applied, and every route of the
 * table served at http://127.0.0.1:${PORT}. With LOCAL_DATABASE=data-api every handler reaches
 * it through the RDS Data API emulator, as on Lambda. Ctrl-C stops it all; the data stays.
 */
async function main() {
  // The local stack runs without dual control unless told otherwise (README: "Dual control"); a
  // value other than on or off stops it here, before anything starts.
  process.env.DUAL_CONTROL ??= 'off';
  const dualControl = dualControlEnabled() ? 'on' : 'off';
  const databaseMode = localDatabaseMode();
  const dir = dataDir();
  const port = Number(process.env.PORT ?? 3000);
  const throttle = localThrottleSettings();

  const database = await startLocalDatabase({
    mode: databaseMode,
    dataDir: dir,
    pgPort: Number(process.env.PG_PORT ?? 54329),
    dataApiPort: Number(process.env.DATA_API_PORT ?? 8084),
  });
  for (const line of database.summary) console.log(line);

  const localQueues = await startLocalQueues({
    port: Number(process.env.SQS_PORT ?? 9324),
    dataDir: join(dir, 'sqs'),
    visibilityTimeoutSeconds: process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS === undefined ? undefined : Number(process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS),
  });
  Object.assign(process.env, localQueues.env);
  // Domain events go to a local EventBridge bus, which logs each one it accepts.
  const eventBus = await startLocalEventBus({
    port: Number(process.env.EVENTS_PORT ?? 8085),
    onEvent: (event) => console.log(`event     ${event.detailType} ${JSON.stringify(event.detail)}`),
  });
  Object.assign(process.env, eventBus.env);
  // Every function runs in it: routes, workers, workflow steps and schedules, each with its timeout.
  const runtime = createLambdaRuntime();
  const stepFunctions = await startLocalStepFunctions({
    port: Number(process.env.SFN_PORT ?? 8083),
    dataDir: join(dir, 'step-functions'),
    approvalTimeoutSeconds: redemptionApprovalTimeoutSeconds(),
    invokeStep: invokeStepIn(runtime),
  });
  Object.assign(process.env, stepFunctions.env);
  const workers = startWorkers(localQueues, runtime);
  const scheduleEvery = process.env.LOCAL_SCHEDULE_INTERVAL_SECONDS;
  const localSchedules = startSchedules({
    invoke: invokeScheduleIn(runtime),
    intervalSeconds: scheduleEvery === undefined ? undefined : Number(scheduleEvery),
  });
  console.log(`schedules ${localSchedules.summary}`);
  console.log(`sfn       ${stepFunctions.endpoint} (redemption approval workflow, approval window ${redemptionApprovalTimeoutSeconds()} s)`);
  console.log(`sqs       ${localQueues.server.address} (${Object.keys(localQueues.queues).map((q) => `${q}, ${q}-dlq`).join(', ')}; sns topic ${localQueues.approversTopic.name})`);
  console.log(`events    ${eventBus.endpoint} (EventBridge bus ${eventBus.busName}; each event it receives is logged here, feed at /api/events)`);

  const identity = await localIdentityProvider(dir);
  const gateway = createGateway({ identity, runtime, throttle });
  gateway.listen(port, '127.0.0.1');
  await once(gateway, 'listening');
  console.log(`throttle  each route ${throttle.rateLimit} requests/s, bursts of ${throttle.burstLimit} (as the dev stage; LOCAL_API_RATE_LIMIT, LOCAL_API_BURST_LIMIT)`);
  console.log(`api       http://127.0.0.1:${port}/api/health (dual control ${dualControl})`);
  console.log(`token     npm run token -- --role admin --sub <uuid> --email you@example.com`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    gateway.closeAllConnections();
    gateway.close();
    await localSchedules.stop();
    await workers.stop();
    await runtime.stop();
    await stepFunctions.stop();
    await eventBus.stop();
    await localQueues.stop();
    await closeDb();
    // Last: Postgres runs in a process group of its own, so the terminal's Ctrl-C reached only
    // this process, and every connection above is closed before Postgres stops.
    await database.stop();
    console.log('stopped');
    process.exit(0);
  };
  // SIGHUP: the terminal closed, which Postgres, in its own session, does not see.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

main().catch((error: unknown) => {
  // A setting out of range or a database in use needs its message, not a stack trace.
  console.error(plainMessageOf(error) ?? error);
  process.exit(1);
});
