import { z } from 'zod';
import { redemptionStateMachineArn } from '../../shared/config';
import { getDb } from '../../shared/db/client';
import { logger } from '../../shared/logger';
import { planRedemption } from '../../shared/redemptions/plan-redemption';
import { sqsWorker } from '../../shared/queue/worker';
import { startExecution } from '../../shared/workflow/step-functions';

export const redemptionMessage = z.object({ redemption_id: z.uuid() });

/**
 * Plans a redemption from the redemption queue and starts its approval workflow. Idempotent: the
 * execution is named after the request, so a redelivery starts nothing new.
 */
export const handler = sqsWorker('plan-redemption', redemptionMessage, async ({ redemption_id }) => {
  const outcome = await planRedemption(getDb(), redemption_id);
  if (!outcome.start) {
    logger.info('Nothing to start', { redemption_id });
    return;
  }
  const executionArn = await startExecution(redemptionStateMachineArn(), outcome.executionName, { redemption_id });
  logger.info('Approval workflow started', { redemption_id, execution_arn: executionArn });
});
