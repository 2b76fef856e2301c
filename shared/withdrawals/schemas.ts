import { z } from 'zod';
import { distributionAmount } from '../distributions/schemas';
import { freeText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';

/** withdrawal_requests.payment_reference is varchar(255). */
export const PAYMENT_REFERENCE_MAX_CHARS = 255;

export const allocationPath = z.object({ allocationId: uuidField });
export const withdrawalPath = z.object({ id: uuidField });

export const requestWithdrawalBody = z.strictObject({ amount: distributionAmount });
export const rejectWithdrawalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });
export const recordPaymentBody = z.strictObject({ payment_reference: freeText({ max: PAYMENT_REFERENCE_MAX_CHARS }) });

export const withdrawalStatus = z.enum(['pending', 'approved', 'rejected', 'paid']);
export const listWithdrawalsQuery = z.strictObject({ status: withdrawalStatus.optional(), ...pageQuery });
