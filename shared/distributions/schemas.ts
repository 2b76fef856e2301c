import { z } from 'zod';
import { cursorField, decimalString, decimalText, freeText, idText, instantString, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { tokenText } from '../lp-tokens/schemas';
import { navText } from '../nav/schemas';
import { DISTRIBUTION_AMOUNT, DISTRIBUTION_SUMS, OWNERSHIP_PERCENTAGE } from '../quantities';
import { ALLOCATION_CSV_HEADER } from './allocation';

/** distribution_events.title is varchar(255). */
export const TITLE_MAX_CHARS = 255;
export const DESCRIPTION_MAX_CHARS = 10_000;

/** A distribution's money (a total, a withdrawal), more than zero. */
export const distributionAmount = decimalString(DISTRIBUTION_AMOUNT);

export const eventType = z.enum(['revenue', 'exit', 'dividend', 'other']);

export const eventPath = z.object({ id: uuidField });
export const projectPath = z.object({ projectId: uuidField });
export const lpPath = z.object({ lpId: uuidField });
export const pageOnlyQuery = z.strictObject(pageQuery);

export const createEventBody = z.strictObject({
  project_id: uuidField,
  event_type: eventType,
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

/** Distribution amounts as the API writes them, e.g. "250000.5000000". */
export const distributionAmountText = decimalText(DISTRIBUTION_AMOUNT);
/** An allocation's share of its snapshot, 0 to 100, e.g. "12.5000000". */
const percentageText = decimalText(OWNERSHIP_PERCENTAGE);

export const eventStatus = z.enum(['draft', 'calculating', 'calculated', 'failed', 'active', 'completed', 'cancelled']);

export const distributionEventDto = z
  .object({
    id: idText,
    project_id: idText,
    event_type: eventType,
    title: z.string(),
    description: z.string().nullable(),
    total_amount: distributionAmountText,
    distribution_date: instantText.describe('The record date: holdings as of this instant are what the calculation allocates by.'),
    status: eventStatus,
    progress: z
      .object({
        phase: z.enum(['reset', 'snapshot', 'select', 'write']),
        holders_done: z.int().nonnegative(),
        holders_total: z.int().nonnegative().nullable().describe('Known once the first select pass (which takes the snapshot) is complete.'),
      })
      .nullable()
      .describe('While `calculating`: which pass the worker is in and how far it has come; null otherwise.'),
    failure_reason: z.string().nullable(),
    snapshot_date: instantText.nullable(),
    snapshot_total_lp_tokens: tokenText.nullable(),
    snapshot_holder_count: z.int().nonnegative().nullable(),
    snapshot_nav: navText.nullable(),
    snapshot_hash: z.string().nullable().describe('`sha256:` and the hex digest over the lines `holder_id:balance` in holder order.'),
    total_allocated: distributionAmountText,
    total_withdrawn: distributionAmountText,
    total_pending: distributionAmountText,
    total_available: distributionAmountText,
    created_by: idText,
    calculation_requested_by: idText.nullable(),
    calculation_requested_at: instantText.nullable(),
    calculated_at: instantText.nullable(),
    approved_by: idText.nullable(),
    approved_at: instantText.nullable(),
    completed_at: instantText.nullable(),
    completion_reason: z.string().nullable(),
    cancelled_by: idText.nullable(),
    cancelled_at: instantText.nullable(),
    cancellation_reason: z.string().nullable(),
    created_at: instantText,
    updated_at: instantText,
  })
  .meta({ id: 'DistributionEvent' });
export type DistributionEventDto = z.output<typeof distributionEventDto>;

export const allocationDto = z
  .object({
    id: idText,
    distribution_event_id: idText,
    distribution_title: z.string(),
    distribution_status: eventStatus,
    distribution_date: instantText,
    project_id: idText,
    project_name: z.string(),
    lp_token_holder_id: idText,
    holder_name: z.string().nullable(),
    holder_email: z.string().nullable().describe("The holder's current e-mail; null when nobody vouches for one."),
    lp_tokens_held: tokenText,
    ownership_percentage: percentageText,
    allocated_amount: distributionAmountText,
    withdrawn_amount: distributionAmountText,
    pending_amount: distributionAmountText,
    available_amount: distributionAmountText,
    status: z.enum(['allocated', 'partially_withdrawn', 'fully_withdrawn']),
    created_at: instantText,
  })
  .meta({ id: 'Allocation' });
export type AllocationDto = z.output<typeof allocationDto>;

export const activityType = z.enum([
  'event_created',
  'calculation_requested',
  'allocations_calculated',
  'calculation_failed',
  'event_activated',
  'withdrawal_requested',
  'withdrawal_approved',
  'withdrawal_rejected',
  'payment_recorded',
  'event_completed',
  'event_cancelled',
]);

/** A JSON object an activity row keeps (what changed, and more about it). */
export const activityDetailsColumn = z.record(z.string(), z.unknown()).nullable();

export const activityDto = z
  .object({
    id: idText,
    distribution_event_id: idText.nullable().describe('Null for activity of no one event.'),
    distribution_title: z.string().nullable(),
    withdrawal_request_id: idText.nullable(),
    project_id: idText,
    project_name: z.string(),
    activity_type: activityType,
    performed_by: idText,
    performed_by_name: z.string().nullable(),
    performed_by_email: z.string().nullable(),
    previous_status: z.string().nullable().describe("The event's or the withdrawal's status before."),
    new_status: z.string().nullable().describe("The event's or the withdrawal's status after."),
    changes_summary: activityDetailsColumn,
    metadata: activityDetailsColumn,
    ip_address: z.string().nullable().describe('The address of the request behind it; null for the calculation worker.'),
    user_agent: z.string().nullable().describe('The user agent of the request behind it; null for the calculation worker.'),
    created_at: instantText,
  })
  .meta({ id: 'DistributionActivity' });
export type ActivityDto = z.output<typeof activityDto>;

export const projectDistributionStatsDto = z
  .object({
    project_id: idText,
    total_events: z.int().nonnegative().describe('Events neither cancelled nor failed; the totals are theirs.'),
    total_distributed: distributionAmountText,
    total_withdrawn: distributionAmountText,
    total_pending: distributionAmountText,
  })
  .meta({ id: 'ProjectDistributionStats' });
export type ProjectDistributionStatsDto = z.output<typeof projectDistributionStatsDto>;

const CSV_FIELD = '(?:"(?:[^"]|"")*"|[^,"\\r\\n]*)';
const CSV_AMOUNT = '(?:0|[1-9]\\d*)\\.\\d{7}';
const CSV_UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CSV_LINE = `${CSV_UUID},${CSV_FIELD}(?:,${CSV_AMOUNT}){6}\\r\\n`;

/** A page of the payment file, as RFC 4180 CSV (allocation.ts writes it, its cells through http/csv-cells.ts). */
export const allocationsCsv = z
  .string()
  .regex(new RegExp(`^(?:${ALLOCATION_CSV_HEADER}\\r\\n)?(?:${CSV_LINE})*$`))
  .describe(
    `RFC 4180 CSV, lines ending CRLF. The first page starts with the header \`${ALLOCATION_CSV_HEADER}\`; ` +
      'then one line per holder in holder id order: the holder id, their current e-mail (empty when nobody vouches for one; ' +
      'after an apostrophe when a spreadsheet would read it as a formula; quoted when it holds a comma, semicolon, quote or ' +
      'line break: http/csv-cells.ts) and six amounts with 7 fractional digits. ' +
      'A `Link: <…>; rel="next"` header points at the next page while there is one.',
  )
  .meta({ example: `${ALLOCATION_CSV_HEADER}\r\n22222222-2222-4222-8222-222222222222,lp@example.com,1000.0000000,100.0000000,250000.5000000,0.0000000,0.0000000,250000.5000000\r\n` });
