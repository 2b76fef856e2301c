import { RuleViolationError } from './errors';

/** Clocks drift; an effective time this far ahead of the server's is still "now". */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The instant a record takes effect: the one given, or now. Records say what has happened, so
 * an instant in the future (beyond clock drift) is refused (422) with `refusal` as the detail.
 *
 * @example effectiveInstant(input.effective_at, new Date(), 'effective_at is in the future')
 */
export function effectiveInstant(given: Date | undefined, now: Date, refusal: string): Date {
  const effectiveAt = given ?? now;
  if (effectiveAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RuleViolationError(refusal, { effective_at: effectiveAt.toISOString() });
  }
  return effectiveAt;
}
