import * as z from '../zod';
import { distributionAmount, distributionAmountText } from '../distributions/amount-fields';
import { freeText, idText, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { PAYMENT_REFERENCE_MAX_CHARS } from '../text-limits';

export const allocationPath = z.object({ allocationId: uuidField });
export const withdrawalPath = z.object({ id: uuidField });

export const requestWithdrawalBody = z.strictObject({ amount: distributionAmount });
export const rejectWithdrawalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });
export const recordPaymentBody = z.strictObject({ payment_reference: freeText({ max: PAYMENT_REFERENCE_MAX_CHARS }) });

export const withdrawalStatus = z.enum(['pending', 'approved', 'rejected', 'paid']);
export const listWithdrawalsQuery = z.strictObject({ status: z.optional(withdrawalStatus), ...pageQuery });

export const withdrawalDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      distribution_allocation_id: idText,
      distribution_event_id: idText,
      project_id: idText,
      lp_token_holder_id: idText,
      amount: distributionAmountText,
      status: withdrawalStatus,
      requested_at: instantText,
      decided_by: z.nullable(idText),
      decided_at: z.nullable(instantText),
      decision_reason: z.nullable(z.string()),
      paid_by: z.nullable(idText),
      paid_at: z.nullable(instantText),
      payment_reference: z.nullable(z.string()),
      created_at: instantText,
      updated_at: instantText,
    }),
    { id: 'Withdrawal' },
  ),
);
export type WithdrawalDto = z.output<typeof withdrawalDto>;
