import { type RedemptionWorkflowStep, redemptionWorkflowSteps } from '../../functions/workflow';
import { redemptionWorkflowDefinition } from '../../shared/redemptions/workflow-definition';
import { serveStepFunctionsApi } from './api-server';
import { type ExecutionRecord, openExecutionStore } from './execution-store';
import { localExecutions } from './executions';
import type { InvokeStep } from './invoke-step';
import type { AslDefinition, AslState } from './one-state';

export { type InvokeStep, invokeStepIn } from './invoke-step';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const STATE_MACHINE_NAME = 'redemption-approval';
const CALLBACK_INVOKE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const functionArn = (step: RedemptionWorkflowStep) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-redemption-${step}`;

export interface LocalStepFunctions {
  endpoint: string;
  stateMachineArn: string;
  /** Environment that points the AWS SDK and the handlers at this endpoint. */
  env: Record<string, string>;
  /** Resolves once every execution started or resumed here has ended (one waiting for a decision keeps it waiting). */
  settled(): Promise<void>;
  describe(name: string): ExecutionRecord | undefined;
  /** Stops serving; executions still RUNNING stay recorded so for the next start to resume. */
  stop(): Promise<void>;
}

export interface LocalStepFunctionsOptions {
  port?: number;
  /** Where executions and task tokens are kept across restarts; in memory without one. */
  dataDir?: string;
  approvalTimeoutSeconds: number;
  /** How a Task state's Lambda function runs: `invokeStepIn(runtime)`, or a test's own. */
  invokeStep: InvokeStep;
}

/**
 * A local Step Functions endpoint running the redemption workflow's very definition with
 * aws-local-stepfunctions, one state at a time, every transition recorded under `dataDir`:
 * executions RUNNING when the last process stopped or was killed resume when this one starts, a
 * waiting approval with its task token and its original deadline. Task states invoke the same
 * handler modules Lambda runs, through `invokeStep`.
 */
export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const steps = Object.keys(redemptionWorkflowSteps) as RedemptionWorkflowStep[];
  const definition = redemptionWorkflowDefinition(
    Object.fromEntries(steps.map((step) => [step, functionArn(step)])) as Record<RedemptionWorkflowStep, string>,
    { approvalTimeoutSeconds: options.approvalTimeoutSeconds },
  );
  const stepOf = new Map(steps.map((step) => [functionArn(step), step]));
  const { invokeStep } = options;

  /** A Task's resource is a step's function ARN, or lambda:invoke.waitForTaskToken naming one with its payload. */
  const invokeTask = (state: AslState, input: unknown) => {
    const callback = state.Resource === CALLBACK_INVOKE;
    const request = (callback ? input : { FunctionName: state.Resource, Payload: input }) as { FunctionName: string; Payload: unknown };
    const step = stepOf.get(request.FunctionName);
    if (step === undefined) throw new Error(`${state.Resource} ${request.FunctionName} is not a function of the local stack`);
    return invokeStep(step, request.Payload);
  };

  const store = openExecutionStore(options.dataDir);
  const executions = localExecutions({
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`,
    definition: definition as unknown as AslDefinition,
    store,
    invokeTask,
  });
  const api = await serveStepFunctionsApi(executions, { port: options.port });
  executions.resume();

  let stopped = false;
  return {
    endpoint: api.endpoint,
    stateMachineArn: executions.stateMachineArn,
    env: { AWS_ENDPOINT_URL_SFN: api.endpoint, REDEMPTION_STATE_MACHINE_ARN: executions.stateMachineArn },
    settled: () => executions.settled(),
    describe: (name) => store.find(executions.arnOf(name)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      executions.close();
      await api.close();
      store.close();
    },
  };
}
