import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { flushMetrics, metrics, MetricUnit } from '../../shared/metrics';
import { rejectFromWorkflow } from '../../shared/redemptions/workflow-steps';

/** Task states Reject and Expire. */
export const handler = workflowStep(async (input: { redemption_id: string; error: string; cause: string }) => {
  try {
    await rejectFromWorkflow(getDb(), { redemptionId: input.redemption_id, error: input.error, cause: input.cause });
    metrics.addDimension('outcome', 'rejected');
    metrics.addMetric('Redemptions', MetricUnit.Count, 1);
    return { status: 'rejected' };
  } finally {
    flushMetrics();
  }
});
