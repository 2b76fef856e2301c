import * as z from '../../shared/zod';
import { getDb } from '../../shared/db/client';
import { logger } from '../../shared/logger';
import { deliverHandoffs } from '../../shared/outbox/handoff';
import { HANDOFF_KINDS } from '../../shared/outbox/handoffs';
import { failOnPermanentError } from '../../shared/redemptions/permanent-errors';
import { planRedemption } from '../../shared/redemptions/plan-redemption';
import { RedemptionFailedError } from '../../shared/redemptions/workflow-step-error';
import { sqsWorker } from '../../shared/queue/worker';

export const redemptionMessage = z.object({ redemption_id: z.uuid() });

/**
 * Plans a redemption from the redemption queue; the plan and the start of its approval workflow
 * commit together (the outbox), then the start is delivered here or by the relay. Idempotent:
 * the execution is named after the request, and a planned request is not planned again.
 */
export const handler = sqsWorker('plan-redemption', redemptionMessage, async ({ redemption_id }) => {
  const db = getDb();
  try {
    const outcome = await failOnPermanentError(db, redemption_id, 'planning', () => planRedemption(db, redemption_id));
    logger.info('Redemption planning step finished', { redemption_id, outcome });
  } catch (error) {
    // Already failed with its reason: a retry could only repeat the error.
    if (error instanceof RedemptionFailedError) return;
    throw error;
  }
  await deliverHandoffs(db, { subjectId: redemption_id, kind: HANDOFF_KINDS.startRedemptionWorkflow });
});
