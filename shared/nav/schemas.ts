import * as z from '../zod';
import { decimalString, freeText, idText, instantString, instantText, pageQuery, REASON_MAX_CHARS } from '../http/schemas';
import { NAV_PER_TOKEN } from '../quantities';
import { navText } from './nav-entry';

/** NAV per token, more than zero. */
export const navPerToken = decimalString(NAV_PER_TOKEN);

export const navSource = z.enum(['manual', 'formula', 'audited']);

export const recordNavBody = z.strictObject({
  nav_per_token: navPerToken,
  source: navSource,
  /** Default: now. May be backdated; not more than a minute ahead of the server's clock. */
  effective_at: z.optional(instantString),
  notes: z.optional(freeText({ max: REASON_MAX_CHARS })),
});
export type RecordNavInput = z.output<typeof recordNavBody>;

export const navHistoryQuery = z.strictObject(pageQuery);
export const navInForceQuery = z.strictObject({ as_of: z.optional(instantString) });

export const navEntryDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      project_id: idText,
      nav_per_token: navText,
      source: navSource,
      effective_at: instantText,
      notes: z.nullable(z.string()),
      updated_by: z.nullable(idText),
      created_at: instantText,
    }),
    { id: 'NavEntry' },
  ),
);
export type NavEntryDto = z.output<typeof navEntryDto>;

/** A new entry, with the project's NAV after it (not the new one's when it was backdated). */
export const recordedNavDto = z.responseSchema(() => z.withMeta(z.extend(z.built(navEntryDto), { current_nav_per_token: navText }), { id: 'RecordedNav' }));
export type RecordedNavDto = z.output<typeof recordedNavDto>;

export const navInForceDto = z.responseSchema(() => z.withMeta(z.extend(z.built(navEntryDto), { as_of: instantText }), { id: 'NavInForce' }));
export type NavInForceDto = z.output<typeof navInForceDto>;
