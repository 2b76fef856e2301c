import * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { validateRedemption } from '../../shared/redemptions/workflow-steps';

/** Task state Validate. */
export const handler = workflowStep('validate-redemption', z.object({ redemption_id: z.uuid() }), async (input) => {
  await validateRedemption(getDb(), input.redemption_id);
  return { redemption_id: input.redemption_id };
});
