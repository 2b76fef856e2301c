import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RedemptionWorkflowStep, redemptionWorkflowSteps } from '../../functions/workflow';
import { lambdaContext } from '../lambda-context';

/** Runs one workflow step (a Lambda function of functions/workflow.ts) with its payload and returns its result. */
export type InvokeStep = (step: RedemptionWorkflowStep, payload: unknown) => Promise<unknown>;

const REPO_ROOT = resolve(import.meta.dirname, '../..');
type Handler = (payload: unknown, context: unknown) => Promise<unknown>;
const handlers = new Map<RedemptionWorkflowStep, Promise<Handler>>();

/** The step's handler module, called in this process with a Lambda context. */
export const invokeStepInProcess: InvokeStep = async (step, payload) => {
  let handler = handlers.get(step);
  if (handler === undefined) {
    handler = import(pathToFileURL(resolve(REPO_ROOT, redemptionWorkflowSteps[step].handler)).href).then((module) => module.handler as Handler);
    handlers.set(step, handler);
  }
  return (await handler)(payload, lambdaContext({ functionName: `local-redemption-${step}`, timeoutSeconds: redemptionWorkflowSteps[step].timeoutSeconds }));
};
