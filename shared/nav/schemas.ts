import * as z from 'zod';
import { decimalString, decimalText, freeText, idText, instantString, instantText, pageQuery, REASON_MAX_CHARS } from '../http/schemas';
import { NAV_PER_TOKEN } from '../quantities';

/** NAV per token, more than zero. */
export const navPerToken = decimalString(NAV_PER_TOKEN);

export const navSource = z.enum(['manual', 'formula', 'audited']);

export const recordNavBody = z.strictObject({
  nav_per_token: navPerToken,
  source: navSource,
  /** Default: now. May be backdated; not more than a minute ahead of the server's clock. */
  effective_at: instantString.optional(),
  notes: freeText({ max: REASON_MAX_CHARS }).optional(),
});
export type RecordNavInput = z.output<typeof recordNavBody>;

export const navHistoryQuery = z.strictObject(pageQuery);
export const navInForceQuery = z.strictObject({ as_of: instantString.optional() });

/** NAV per token as the API writes it, e.g. "1.25000000". */
export const navText = decimalText(NAV_PER_TOKEN);

export const navEntryDto = z
  .object({
    id: idText,
    project_id: idText,
    nav_per_token: navText,
    source: navSource,
    effective_at: instantText,
    notes: z.string().nullable(),
    updated_by: idText.nullable(),
    created_at: instantText,
  })
  .meta({ id: 'NavEntry' });
export type NavEntryDto = z.output<typeof navEntryDto>;

/** A new entry, with the project's NAV after it (not the new one's when it was backdated). */
export const recordedNavDto = navEntryDto.extend({ current_nav_per_token: navText }).meta({ id: 'RecordedNav' });
export type RecordedNavDto = z.output<typeof recordedNavDto>;

export const navInForceDto = navEntryDto.extend({ as_of: instantText }).meta({ id: 'NavInForce' });
export type NavInForceDto = z.output<typeof navInForceDto>;
