import { z } from 'zod';
import { freeText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { tokenAmount } from '../lp-tokens/schemas';

export const redemptionPath = z.object({ id: uuidField });

export const requestRedemptionBody = z.strictObject({
  project_id: uuidField,
  tokens_amount: tokenAmount,
});
export type RequestRedemptionInput = z.output<typeof requestRedemptionBody>;

export const rejectRedemptionBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });

export const listRedemptionsQuery = z.strictObject({
  status: z.enum(['pending', 'awaiting_approval', 'processing', 'completed', 'rejected', 'failed']).optional(),
  ...pageQuery,
});
