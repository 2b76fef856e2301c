import * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { awaitApproval } from '../../shared/redemptions/workflow-steps';

const approvalTask = z.object({
  redemption_id: z.uuid(),
  task_token: z.string().check(z.minLength(1)),
  entered_at: z.iso.datetime({ offset: true }),
  timeout_seconds: z.number().check(z.int(), z.positive()),
});

/** Task state WaitForApproval (lambda:invoke.waitForTaskToken): stores the token; the API answers it. */
export const handler = workflowStep('await-redemption-approval', approvalTask, async (input) => {
  await awaitApproval(getDb(), {
    redemptionId: input.redemption_id,
    taskToken: input.task_token,
    enteredAt: new Date(input.entered_at),
    timeoutSeconds: input.timeout_seconds,
  });
});
