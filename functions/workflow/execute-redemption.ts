import * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { metrics, MetricUnit } from '../../shared/metrics';
import { executeRedemption } from '../../shared/redemptions/workflow-steps';

/** Task state Execute. */
export const handler = workflowStep('execute-redemption', z.object({ redemption_id: z.uuid() }), async (input) => {
  const result = await executeRedemption(getDb(), input.redemption_id);
  metrics.addDimension('outcome', 'completed');
  metrics.addMetric('Redemptions', MetricUnit.Count, 1);
  return result;
});
