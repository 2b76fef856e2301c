import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createLambdaRuntime, type LambdaRuntime } from '../../local/lambda/runtime';
import { type InvokeStep, invokeStepIn, type LocalStepFunctions, type LocalStepFunctionsOptions, startLocalStepFunctions } from '../../local/step-functions';

type StartOptions = Omit<LocalStepFunctionsOptions, 'port' | 'dataDir' | 'invokeStep'> & { invokeStep?: InvokeStep };

/**
 * The redemption workflow on the local Step Functions endpoint, for the test file, with its
 * executions kept in a directory of its own. `crash()` drops the running endpoint without
 * letting anything finish (as a killed `npm start` would); `start()` starts a new one on the
 * same directory and port, so the SDK client the handlers already hold reaches it. Its steps
 * run in a local Lambda runtime of the file's own, as `npm start` runs them.
 */
export function useWorkflow(options: StartOptions) {
  let local: LocalStepFunctions;
  let runtime: LambdaRuntime;
  let dataDir = '';
  let port = 0;
  /** Each step's function in the runtime. */
  const invokeStep: InvokeStep = (step, payload) => invokeStepIn(runtime)(step, payload);

  const start = async (overrides: Partial<StartOptions> = {}) => {
    local = await startLocalStepFunctions({ invokeStep, ...options, ...overrides, port, dataDir });
    port = Number(new URL(local.endpoint).port);
    Object.assign(process.env, local.env);
  };
  beforeAll(async () => {
    runtime = createLambdaRuntime();
    dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-sfn-'));
    await start();
  });
  afterAll(async () => {
    await local.stop();
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    /** How the steps run by default, for a test that wraps it. */
    invokeStep,
    settled: () => local.settled(),
    describe: (name: string) => local.describe(name),
    endpoint: () => local.endpoint,
    stateMachineArn: () => local.stateMachineArn,
    /** Stops the endpoint as a killed process would: nothing running finishes, nothing more is recorded. */
    crash: () => local.stop(),
    /** Starts it again on the same directory and port, after a crash. */
    start,
    /** A crash, then a start with these options instead of the file's. */
    restart: async (overrides: Partial<StartOptions> = {}) => {
      await local.stop();
      await start(overrides);
    },
  };
}
