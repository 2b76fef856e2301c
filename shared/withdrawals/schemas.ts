import { z } from 'zod';
import { distributionAmount } from '../distributions/schemas';
import { pageQuery, uuidField } from '../http/schemas';

export const allocationPath = z.object({ allocationId: uuidField });
export const withdrawalPath = z.object({ id: uuidField });

export const requestWithdrawalBody = z.strictObject({ amount: distributionAmount });
export const rejectWithdrawalBody = z.strictObject({ reason: z.string().trim().min(1).max(2_000) });
export const recordPaymentBody = z.strictObject({ payment_reference: z.string().trim().min(1).max(255) });

export const withdrawalStatus = z.enum(['pending', 'approved', 'rejected', 'paid']);
export const listWithdrawalsQuery = z.strictObject({ status: withdrawalStatus.optional(), ...pageQuery });
