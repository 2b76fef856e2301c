import { z } from 'zod';
import { jsonTextLength } from '../db/result-size';
import { Decimal } from '../decimal';

/** Instants, in queries and bodies: one schema and one range (./instants.ts). */
export { instantString } from './instants';

/** A path or body UUID. */
export const uuidField = z.uuid({ message: 'must be a UUID' });

/**
 * A decimal amount sent as a string (never a JSON number: floats lose money). Accepts at most
 * `scale` fractional digits and `precision - scale` integer digits, matching the SQL column.
 *
 * @example decimalString({ precision: 30, scale: 7 }) // "12.5" → Decimal(12.5)
 */
export function decimalString({ precision, scale, positive = true }: { precision: number; scale: number; positive?: boolean }) {
  const integerDigits = precision - scale;
  const pattern = new RegExp(`^(0|[1-9]\\d{0,${integerDigits - 1}})(\\.\\d{1,${scale}})?$`);
  return z
    .string({ message: 'must be a decimal string such as "12.50"' })
    .max(precision + 2)
    .regex(pattern, `must be a plain decimal with at most ${integerDigits} integer and ${scale} fractional digits`)
    .transform((text) => new Decimal(text))
    .refine((value) => !positive || value.greaterThan(0), 'must be greater than zero');
}

/** The largest page a list returns. */
export const MAX_PAGE_LIMIT = 500;

/** A list's cursor as it travels: base64url (./cursor.ts), its keys checked where it is read. */
export const cursorField = z.string().max(512).regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this API issued');

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(100),
  cursor: cursorField.optional(),
};

/** For POST routes that take no input: no body, or `{}`. */
export const emptyBody = z.strictObject({}).optional();

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
export function keepsTextRule(text: string, ctx: z.RefinementCtx): void {
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
  const text = trim ? z.string().trim() : z.string();
  return (min > 0 ? text.min(min) : text).max(max).superRefine(keepsTextRule);
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
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
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
  });
}

/** An id as the API writes it: a UUID as Postgres prints it. */
export const idText = z.guid();

/** An instant as the API writes it (`Date#toISOString`): UTC to the millisecond, e.g. "2026-03-31T00:00:00.000Z". */
export const instantText = z.iso.datetime({ precision: 3 });

/**
 * An amount as the API writes it: a decimal string at exactly its type's scale, never a JSON
 * number. Response schemas only; requests take `decimalString`.
 *
 * @example decimalText(7) // "250000.5000000"
 */
export function decimalText(scale: number) {
  return z
    .string()
    .regex(new RegExp(`^(0|[1-9]\\d*)\\.\\d{${scale}}$`))
    .describe(`A decimal string with exactly ${scale} fractional digits, e.g. "12.${'5'.padEnd(scale, '0')}"`);
}
