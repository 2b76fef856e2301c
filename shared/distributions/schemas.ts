import * as z from '../zod';
import { cursorField, decimalText, freeText, idText, instantString, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { tokenText } from '../lp-tokens/token-fields';
import { navText } from '../nav/nav-entry';
import { DISTRIBUTION_SUMS, OWNERSHIP_PERCENTAGE } from '../quantities';
import { DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS } from '../text-limits';
import { ALLOCATION_CSV_HEADER } from './allocation';
import { distributionAmount, distributionAmountText } from './amount-fields';

export const eventType = z.enum(['revenue', 'exit', 'dividend', 'other']);

export const eventPath = z.object({ id: uuidField });
export const lpPath = z.object({ lpId: uuidField });
export const pageOnlyQuery = z.strictObject(pageQuery);

export const createEventBody = z.strictObject({
  project_id: uuidField,
  event_type: eventType,
  title: freeText({ max: TITLE_MAX_CHARS }),
  description: z.optional(freeText({ max: DESCRIPTION_MAX_CHARS, min: 0, trim: false })),
  total_amount: distributionAmount,
  distribution_date: instantString,
});
export type CreateEventInput = z.output<typeof createEventBody>;

const reason = freeText({ max: REASON_MAX_CHARS });

export const cancelEventBody = z.strictObject({ cancellation_reason: reason });
export const completeEventBody = z.strictObject({ reason: z.optional(reason) });

export const lpAllocationsQuery = z.strictObject({ project_id: z.optional(uuidField), ...pageQuery });

/** A page of the payment file: up to 20,000 rows, fewer when they would not fit Lambda's 6 MB response (queries.ts). */
export const csvQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20_000)), 20_000),
  cursor: z.optional(cursorField),
});

/** An allocation's share of its snapshot, 0 to 100, e.g. "12.5000000". */
const percentageText = decimalText(OWNERSHIP_PERCENTAGE);

export const eventStatus = z.enum(['draft', 'calculating', 'calculated', 'failed', 'active', 'completed', 'cancelled']);

export const distributionEventDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      project_id: idText,
      event_type: eventType,
      title: z.string(),
      description: z.nullable(z.string()),
      total_amount: distributionAmountText,
      distribution_date: z.described(instantText, 'The record date: holdings as of this instant are what the calculation allocates by.'),
      status: eventStatus,
      progress: z.described(
        z.nullable(
          z.object({
            phase: z.enum(['reset', 'snapshot', 'select', 'write']),
            holders_done: z.int().check(z.nonnegative()),
            holders_total: z.described(z.nullable(z.int().check(z.nonnegative())), 'Known once the snapshot is taken: after the first select pass when the cut is searched for first; when the write guesses its cut (the usual way), not before the calculation completes, so null while it writes.'),
          }),
        ),
        'While `calculating`: which pass the worker is in and how far it has come; null otherwise.',
      ),
      failure_reason: z.nullable(z.string()),
      snapshot_date: z.nullable(instantText),
      snapshot_total_lp_tokens: z.nullable(tokenText),
      snapshot_holder_count: z.nullable(z.int().check(z.nonnegative())),
      snapshot_nav: z.nullable(navText),
      snapshot_hash: z.described(z.nullable(z.string()), '`sha256:` and the hex digest over the lines `holder_id:balance` in holder order.'),
      total_allocated: distributionAmountText,
      total_withdrawn: distributionAmountText,
      total_pending: distributionAmountText,
      total_available: distributionAmountText,
      created_by: idText,
      calculation_requested_by: z.nullable(idText),
      calculation_requested_at: z.nullable(instantText),
      calculated_at: z.nullable(instantText),
      approved_by: z.nullable(idText),
      approved_at: z.nullable(instantText),
      completed_at: z.nullable(instantText),
      completion_reason: z.nullable(z.string()),
      cancelled_by: z.nullable(idText),
      cancelled_at: z.nullable(instantText),
      cancellation_reason: z.nullable(z.string()),
      created_at: instantText,
      updated_at: instantText,
    }),
    { id: 'DistributionEvent' },
  ),
);
export type DistributionEventDto = z.output<typeof distributionEventDto>;

export const allocationDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      distribution_event_id: idText,
      distribution_title: z.string(),
      distribution_status: eventStatus,
      distribution_date: instantText,
      project_id: idText,
      project_name: z.string(),
      lp_token_holder_id: idText,
      holder_name: z.nullable(z.string()),
      holder_email: z.described(z.nullable(z.string()), "The holder's current e-mail; null when nobody vouches for one."),
      lp_tokens_held: tokenText,
      ownership_percentage: percentageText,
      allocated_amount: distributionAmountText,
      withdrawn_amount: distributionAmountText,
      pending_amount: distributionAmountText,
      available_amount: distributionAmountText,
      status: z.enum(['allocated', 'partially_withdrawn', 'fully_withdrawn']),
      created_at: instantText,
    }),
    { id: 'Allocation' },
  ),
);
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
export const activityDetailsColumn = z.nullable(z.record(z.string(), z.unknown()));

export const activityDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      distribution_event_id: z.described(z.nullable(idText), 'Null for activity of no one event.'),
      distribution_title: z.nullable(z.string()),
      withdrawal_request_id: z.nullable(idText),
      project_id: idText,
      project_name: z.string(),
      activity_type: activityType,
      performed_by: idText,
      performed_by_name: z.nullable(z.string()),
      performed_by_email: z.nullable(z.string()),
      previous_status: z.described(z.nullable(z.string()), "The event's or the withdrawal's status before."),
      new_status: z.described(z.nullable(z.string()), "The event's or the withdrawal's status after."),
      changes_summary: activityDetailsColumn,
      metadata: activityDetailsColumn,
      ip_address: z.described(z.nullable(z.string()), 'The address of the request behind it; null for the calculation worker.'),
      user_agent: z.described(z.nullable(z.string()), 'The user agent of the request behind it; null for the calculation worker.'),
      created_at: instantText,
    }),
    { id: 'DistributionActivity' },
  ),
);
export type ActivityDto = z.output<typeof activityDto>;

export const projectDistributionStatsDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      project_id: idText,
      total_events: z.described(z.int().check(z.nonnegative()), 'Events neither cancelled nor failed; the totals are theirs.'),
      total_distributed: distributionAmountText,
      total_withdrawn: distributionAmountText,
      total_pending: distributionAmountText,
    }),
    { id: 'ProjectDistributionStats' },
  ),
);
export type ProjectDistributionStatsDto = z.output<typeof projectDistributionStatsDto>;

const CSV_FIELD = '(?:"(?:[^"]|"")*"|[^,"\\r\\n]*)';
const CSV_AMOUNT = '(?:0|[1-9]\\d*)\\.\\d{7}';
const CSV_UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CSV_LINE = `${CSV_UUID},${CSV_FIELD}(?:,${CSV_AMOUNT}){6}\\r\\n`;

/** A page of the payment file, as RFC 4180 CSV (allocation.ts writes it, its cells through http/csv-cells.ts). */
export const allocationsCsv = z.responseSchema(() =>
  z.withMeta(
    z.described(
      z.string().check(z.regex(new RegExp(`^(?:${ALLOCATION_CSV_HEADER}\\r\\n)?(?:${CSV_LINE})*$`))),
      `RFC 4180 CSV, lines ending CRLF. The first page starts with the header \`${ALLOCATION_CSV_HEADER}\`; ` +
        'then one line per holder in holder id order: the holder id, their current e-mail (empty when nobody vouches for one; ' +
        'after an apostrophe when a spreadsheet would read it as a formula; quoted when it holds a comma, semicolon, quote or ' +
        'line break: http/csv-cells.ts) and six amounts with 7 fractional digits. ' +
        'A `Link: <…>; rel="next"` header points at the next page while there is one.',
    ),
    {
      example: `${ALLOCATION_CSV_HEADER}\r\n22222222-2222-4222-8222-222222222222,lp@example.com,1000.0000000,100.0000000,250000.5000000,0.0000000,0.0000000,250000.5000000\r\n`,
    },
  ),
);
