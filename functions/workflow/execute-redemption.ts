import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { flushMetrics, metrics, MetricUnit } from '../../shared/metrics';
import { executeRedemption } from '../../shared/redemptions/workflow-steps';

/** Task state Execute. */
export const handler = workflowStep(async (input: { redemption_id: string }) => {
  try {
    const result = await executeRedemption(getDb(), input.redemption_id);
    metrics.addDimension('outcome', 'completed');
    metrics.addMetric('Redemptions', MetricUnit.Count, 1);
    return result;
  } finally {
    flushMetrics();
  }
});
