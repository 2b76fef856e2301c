import { getDb } from '../../shared/db/client';
import { validateRedemption } from '../../shared/redemptions/workflow-steps';

/** Task state Validate. */
export const handler = async (input: { redemption_id: string }) => {
  await validateRedemption(getDb(), input.redemption_id);
  return { redemption_id: input.redemption_id };
};
