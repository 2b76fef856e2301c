import { z } from 'zod';
import { decimalString, instantString, pageQuery, uuidField } from '../http/schemas';

/** Distribution amounts: numeric(20, 7). */
export const distributionAmount = decimalString({ precision: 20, scale: 7 });

export const eventPath = z.object({ id: uuidField });
export const projectPath = z.object({ projectId: uuidField });
export const lpPath = z.object({ lpId: uuidField });
export const pageOnlyQuery = z.strictObject(pageQuery);

export const createEventBody = z.strictObject({
  project_id: uuidField,
  event_type: z.enum(['revenue', 'exit', 'dividend', 'other']),
  title: z.string().trim().min(1).max(255),
  description: z.string().max(10_000).optional(),
  total_amount: distributionAmount,
  distribution_date: instantString,
});
export type CreateEventInput = z.output<typeof createEventBody>;

const reason = z.string().trim().min(1).max(2_000);

export const cancelEventBody = z.strictObject({ cancellation_reason: reason });
export const completeEventBody = z.strictObject({ reason: reason.optional() });

export const lpAllocationsQuery = z.strictObject({ project_id: uuidField.optional(), ...pageQuery });

/** A page of the payment file: ~130 bytes a row keeps 20,000 rows well under Lambda's 6 MB response. */
export const csvQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(20_000).default(20_000),
  cursor: z.string().max(512).optional(),
});
