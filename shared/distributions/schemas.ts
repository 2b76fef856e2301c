import { z } from 'zod';
import { cursorField, decimalString, freeText, instantString, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { DISTRIBUTION_AMOUNT } from '../quantities';

/** distribution_events.title is varchar(255). */
export const TITLE_MAX_CHARS = 255;
export const DESCRIPTION_MAX_CHARS = 10_000;

/** A distribution's money (a total, a withdrawal), more than zero. */
export const distributionAmount = decimalString(DISTRIBUTION_AMOUNT);

export const eventPath = z.object({ id: uuidField });
export const projectPath = z.object({ projectId: uuidField });
export const lpPath = z.object({ lpId: uuidField });
export const pageOnlyQuery = z.strictObject(pageQuery);

export const createEventBody = z.strictObject({
  project_id: uuidField,
  event_type: z.enum(['revenue', 'exit', 'dividend', 'other']),
  title: freeText({ max: TITLE_MAX_CHARS }),
  description: freeText({ max: DESCRIPTION_MAX_CHARS, min: 0, trim: false }).optional(),
  total_amount: distributionAmount,
  distribution_date: instantString,
});
export type CreateEventInput = z.output<typeof createEventBody>;

const reason = freeText({ max: REASON_MAX_CHARS });

export const cancelEventBody = z.strictObject({ cancellation_reason: reason });
export const completeEventBody = z.strictObject({ reason: reason.optional() });

export const lpAllocationsQuery = z.strictObject({ project_id: uuidField.optional(), ...pageQuery });

/** A page of the payment file: up to 20,000 rows, fewer when they would not fit Lambda's 6 MB response (queries.ts). */
export const csvQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(20_000).default(20_000),
  cursor: cursorField.optional(),
});
