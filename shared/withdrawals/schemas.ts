import * as z from 'zod';
import { distributionAmount, distributionAmountText } from '../distributions/schemas';
import { freeText, idText, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { PAYMENT_REFERENCE_MAX_CHARS } from '../text-limits';

export const allocationPath = z.object({ allocationId: uuidField });
export const withdrawalPath = z.object({ id: uuidField });

export const requestWithdrawalBody = z.strictObject({ amount: distributionAmount });
export const rejectWithdrawalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });
export const recordPaymentBody = z.strictObject({ payment_reference: freeText({ max: PAYMENT_REFERENCE_MAX_CHARS }) });

export const withdrawalStatus = z.enum(['pending', 'approved', 'rejected', 'paid']);
export const listWithdrawalsQuery = z.strictObject({ status: withdrawalStatus.optional(), ...pageQuery });

export const withdrawalDto = z
  .object({
    id: idText,
    distribution_allocation_id: idText,
    distribution_event_id: idText,
    project_id: idText,
    lp_token_holder_id: idText,
    amount: distributionAmountText,
    status: withdrawalStatus,
    requested_at: instantText,
    decided_by: idText.nullable(),
    decided_at: instantText.nullable(),
    decision_reason: z.string().nullable(),
    paid_by: idText.nullable(),
    paid_at: instantText.nullable(),
    payment_reference: z.string().nullable(),
    created_at: instantText,
    updated_at: instantText,
  })
  .meta({ id: 'Withdrawal' });
export type WithdrawalDto = z.output<typeof withdrawalDto>;
