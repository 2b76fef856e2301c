import { z } from 'zod';
import { Decimal } from '../decimal';

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

/** An instant with an explicit offset, e.g. `2026-01-31T12:00:00Z`. */
export const instantString = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T12:00:00Z' })
  .transform((text) => new Date(text));

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(512).optional(),
};

/** For POST routes that take no input: no body, or `{}`. */
export const emptyBody = z.strictObject({}).optional();
