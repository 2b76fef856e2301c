import { type RedemptionWorkflowStep, redemptionWorkflowSteps } from '../../functions/workflow';
import { type ScheduleName, schedules } from '../../functions/schedules';
import type { WorkerDefinition } from '../../functions/workers';
import type { RouteDefinition } from '../../shared/http/route';

/** A Lambda function as the local runtime runs it: what infrastructure configures, nothing else. */
export interface LambdaFunction {
  /** The function's name, in its Context and AWS_LAMBDA_FUNCTION_NAME. */
  name: string;
  /** Module exporting `handler`, relative to the repository root. */
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
}

/** As infra/stacks/stateless-stack.ts sets it: API Gateway stops waiting for an integration after 30 s. */
export const API_FUNCTION_TIMEOUT_SECONDS = 29;

/** infra/constructs/app-function.ts's default memory size. */
const DEFAULT_MEMORY_MB = 1024;

const nameOf = (handler: string) => `local-${handler.replace(/\.ts$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}`;

/** The function behind a route of functions/routes/index.ts. */
export const routeFunction = (route: RouteDefinition, timeoutSeconds = API_FUNCTION_TIMEOUT_SECONDS): LambdaFunction => ({
  name: nameOf(route.handler),
  handler: route.handler,
  timeoutSeconds,
  memoryMb: DEFAULT_MEMORY_MB,
});

/** The function an entry of functions/workers/index.ts runs on its queue's batches. */
export const workerFunction = (name: string, worker: WorkerDefinition): LambdaFunction => ({
  name: `local-${name}`,
  handler: worker.handler,
  timeoutSeconds: worker.timeoutSeconds,
  memoryMb: worker.memoryMb,
});

/** The function a Task state of the redemption workflow invokes. */
export const workflowStepFunction = (step: RedemptionWorkflowStep): LambdaFunction => ({
  name: `local-redemption-${step}`,
  handler: redemptionWorkflowSteps[step].handler,
  timeoutSeconds: redemptionWorkflowSteps[step].timeoutSeconds,
  memoryMb: DEFAULT_MEMORY_MB,
});

/** The function an entry of functions/schedules/index.ts runs on its timer. */
export const scheduleFunction = (name: ScheduleName): LambdaFunction => ({
  name: `local-${name}`,
  handler: schedules[name].handler,
  timeoutSeconds: schedules[name].timeoutSeconds,
  memoryMb: schedules[name].memoryMb,
});
