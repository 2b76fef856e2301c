import { afterAll, beforeAll } from 'vitest';
import { type LocalStepFunctions, startLocalStepFunctions } from '../../local/step-functions';

/** The redemption workflow on the local Step Functions endpoint, for the test file. */
export function useWorkflow(options: { approvalTimeoutSeconds: number }) {
  let local: LocalStepFunctions;
  beforeAll(async () => {
    local = await startLocalStepFunctions({ approvalTimeoutSeconds: options.approvalTimeoutSeconds });
    Object.assign(process.env, local.env);
  });
  afterAll(async () => {
    await local.stop();
  });
  return {
    settled: () => local.settled(),
    describe: (name: string) => local.describe(name),
  };
}
