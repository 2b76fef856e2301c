import * as z from '../zod';
import { jsonTextLength } from '../db/result-size';
import { Decimal } from '../decimal';
import { asText, maxText, type Quantity } from '../quantities';

/** Instants, in queries and bodies: one schema and one range (./instants.ts). */
export { instantString } from './instants';

/** A path or body UUID. */
export const uuidField = z.uuid({ message: 'must be a UUID' });

/**
 * The longest amount the API reads: more digits than any quantity holds, so that an amount past
 * its type is told so (a 422 naming the limit), not that it is too long.
 */
const AMOUNT_MAX_CHARS = 64;

/**
 * A decimal amount sent as a string (never a JSON number: floats lose money), of one of the
 * quantities the platform keeps (../quantities.ts). A malformed one (an exponent, more fractional
 * digits than its scale) fails validation; one past the most its type holds fails with an issue
 * whose `params.limit` names that most, which parseRequest answers with a 422. What amounts add
 * up to is checked where the sum is made, against the same limits.
 *
 * @example decimalString(LP_TOKENS) // "12.5" → Decimal(12.5); "1e3" → 400; "1" followed by 23 zeros → 422, limit "99999999999999999999999.9999999"
 */
export function decimalString(quantity: Quantity, { positive = true }: { positive?: boolean } = {}) {
  const limit = maxText(quantity);
  const pattern = new RegExp(`^(0|[1-9]\\d*)(\\.\\d{1,${quantity.scale}})?$`);
  return z
    .pipe(
      z.described(
        z
          .string({ message: 'must be a decimal string such as "12.50"' })
          .check(z.maxLength(AMOUNT_MAX_CHARS), z.regex(pattern, `must be a plain decimal with at most ${quantity.scale} fractional digits, such as "12.50"`)),
        `${quantity.name}: a decimal string with at most ${quantity.scale} fractional digits, at most ${limit}`,
      ),
      z.transform((text) => new Decimal(text)),
    )
    .check(
      z.refine((value) => !positive || value.greaterThan(0), 'must be greater than zero'),
      z.refine((value) => value.lessThanOrEqualTo(quantity.max), {
        message: `must be at most ${limit}, the most ${quantity.name} can be`,
        params: { limit },
      }),
    );
}

/** The largest page a list returns. */
export const MAX_PAGE_LIMIT = 500;

/** A list's cursor as it travels: base64url (./cursor.ts), its keys checked where it is read. */
export const cursorField = z.string().check(z.maxLength(512), z.regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this API issued'));

export const pageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE_LIMIT)), 100),
  cursor: z.optional(cursorField),
};

/** For POST routes that take no input: no body, or `{}`. */
export const emptyBody = z.optional(z.strictObject({}));

/**
 * What free text may not hold: control characters other than newline and tab (a NUL cannot be
 * stored at all; the others cost six bytes each in a Data API answer, which the reads' bounds do
 * not allow for: db/result-size.ts, MAX_BYTES_PER_CHAR), and halves of surrogate pairs (not text:
 * Postgres refuses them in JSON).
 */
const REFUSED_CHARACTER = /[^\P{Cc}\n\t]|\p{Cs}/u;
const REFUSED_CHARACTERS = new RegExp(REFUSED_CHARACTER.source, 'gu');

/** Why the text breaks the text rule, or undefined when it keeps it. */
export function textRuleIssue(text: string): string | undefined {
  const found = REFUSED_CHARACTER.exec(text);
  if (found === null) return undefined;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters other than newline and tab (U+${code} at character ${found.index + 1})`;
}

/** The text rule as a refinement, for string schemas that are not `freeText` (a URL, say). */
export function keepsTextRule(text: string, ctx: z.core.$RefinementCtx): void {
  const issue = textRuleIssue(text);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
}

/**
 * Free text as the API accepts it: `min` to `max` characters (trimmed first unless `trim` is
 * false), without control characters other than newline and tab. Every text field a request
 * carries goes through this, so the longest and costliest text that can be stored is known.
 *
 * @example freeText({ max: REASON_MAX_CHARS }) // "Paid by bank transfer" ✓, "\u0000" → 400 naming the field
 */
export function freeText({ max, min = 1, trim = true }: { max: number; min?: number; trim?: boolean }) {
  const text = trim ? z.string().check(z.trim()) : z.string();
  return (min > 0 ? text.check(z.minLength(min)) : text).check(z.maxLength(max), z.superRefine(keepsTextRule));
}

/** A reason given for a decision (a rejection, a cancellation, an early completion) or a note. */
export const REASON_MAX_CHARS = 2_000;

/**
 * Text the platform writes itself (an error's message as a failure reason, a user agent) made to
 * keep the text rule and a column's width: refused characters become U+FFFD, and what is too
 * long is cut, with an ellipsis.
 *
 * @example storableText(error.message, REASON_MAX_CHARS)
 */
export function storableText(text: string, max: number): string {
  const clean = text.replace(REFUSED_CHARACTERS, '\uFFFD');
  if (clean.length <= max) return clean;
  let cut = max - 1;
  const last = clean.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${clean.slice(0, cut)}…`;
}

/** The strings of a JSON value, keys included, each with where it is. */
function* stringsOf(value: unknown, path: PropertyKey[] = []): Generator<[PropertyKey[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsOf(item, [...path, i]);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      yield [[...path, key], key];
      yield* stringsOf(item, [...path, key]);
    }
  }
}

/**
 * A JSON object kept as jsonb: at most `maxChars` characters of JSON as jsonb keeps it (numbers
 * written out in full: `1e300` counts 301), its strings and keys keeping the text rule.
 */
export function jsonObject({ maxChars }: { maxChars: number }) {
  return z.record(z.string(), z.unknown()).check(
    z.superRefine((value, ctx) => {
      for (const [path, text] of stringsOf(value)) {
        const issue = textRuleIssue(text);
        if (issue !== undefined) {
          ctx.addIssue({ code: 'custom', path, message: issue });
          return;
        }
      }
      const length = jsonTextLength(value);
      if (length > maxChars) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${maxChars} characters of JSON, numbers written out in full (this is ${length})` });
      }
    }),
  );
}

/** An id as the API writes it: a UUID as Postgres prints it. */
export const idText = z.guid();

/** An instant as the API writes it (`Date#toISOString`): UTC to the millisecond, e.g. "2026-03-31T00:00:00.000Z". */
export const instantText = z.iso.datetime({ precision: 3 });

/**
 * An amount as the API writes it: a decimal string at exactly its quantity's scale, never a JSON
 * number. Response schemas only; requests take `decimalString`.
 *
 * @example decimalText(LP_TOKENS) // "250000.5000000"
 */
export function decimalText(quantity: Quantity) {
  return z.described(
    z.string().check(z.regex(new RegExp(`^(0|[1-9]\\d*)\\.\\d{${quantity.scale}}$`))),
    `${quantity.name}: a decimal string with exactly ${quantity.scale} fractional digits, at most ${maxText(quantity)}, e.g. "${asText(quantity, '12.5')}"`,
  );
}
