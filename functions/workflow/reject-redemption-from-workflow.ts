import * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { metrics, MetricUnit } from '../../shared/metrics';
import { rejectFromWorkflow } from '../../shared/redemptions/workflow-steps';

// The error and cause the state machine caught (or States.Timeout from Expire), as it passes them.
const rejection = z.object({ redemption_id: z.uuid(), error: z.string(), cause: z.string() });

/** Task states Reject and Expire. */
export const handler = workflowStep('reject-redemption', rejection, async (input) => {
  await rejectFromWorkflow(getDb(), { redemptionId: input.redemption_id, error: input.error, cause: input.cause });
  metrics.addDimension('outcome', 'rejected');
  metrics.addMetric('Redemptions', MetricUnit.Count, 1);
  return { status: 'rejected' };
});
