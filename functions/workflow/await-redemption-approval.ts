import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { awaitApproval } from '../../shared/redemptions/workflow-steps';

/** Task state WaitForApproval (lambda:invoke.waitForTaskToken): stores the token; the API answers it. */
export const handler = workflowStep(async (input: { redemption_id: string; task_token: string; entered_at: string; timeout_seconds: number }) => {
  await awaitApproval(getDb(), {
    redemptionId: input.redemption_id,
    taskToken: input.task_token,
    enteredAt: new Date(input.entered_at),
    timeoutSeconds: input.timeout_seconds,
  });
});
