import { z } from 'zod';
import { decimalString, freeText, instantString, pageQuery, REASON_MAX_CHARS } from '../http/schemas';
import { NAV_PER_TOKEN } from '../quantities';

/** NAV per token, more than zero. */
export const navPerToken = decimalString(NAV_PER_TOKEN);

export const recordNavBody = z.strictObject({
  nav_per_token: navPerToken,
  source: z.enum(['manual', 'formula', 'audited']),
  /** Default: now. May be backdated; not more than a minute ahead of the server's clock. */
  effective_at: instantString.optional(),
  notes: freeText({ max: REASON_MAX_CHARS }).optional(),
});
export type RecordNavInput = z.output<typeof recordNavBody>;

export const navHistoryQuery = z.strictObject(pageQuery);
export const navInForceQuery = z.strictObject({ as_of: instantString.optional() });
