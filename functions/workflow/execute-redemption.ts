import { getDb } from '../../shared/db/client';
import { executeRedemption } from '../../shared/redemptions/workflow-steps';

/** Task state Execute. */
export const handler = async (input: { redemption_id: string }) => executeRedemption(getDb(), input.redemption_id);
