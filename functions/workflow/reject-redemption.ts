import { getDb } from '../../shared/db/client';
import { rejectFromWorkflow } from '../../shared/redemptions/workflow-steps';

/** Task states Reject and Expire. */
export const handler = async (input: { redemption_id: string; error: string; cause: string }) => {
  await rejectFromWorkflow(getDb(), { redemptionId: input.redemption_id, error: input.error, cause: input.cause });
  return { status: 'rejected' };
};
