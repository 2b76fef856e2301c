import * as z from '../zod';

/**
 * The instants the API takes, anywhere (query, body, cursor): from 0100-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999999Z, in UTC once the offset is applied.
 *
 * Why these: four-digit years are what RFC 3339 writes, what `Date#toISOString` writes without a
 * sign (year 10000 comes out as `+010000-…`, which Postgres does not read) and what a cursor's
 * `to_char(…, 'YYYY')` writes back. Postgres has no year 0000 (it is 1 BC), and the Data API
 * client (kysely-data-api) reads a timestamp with `new Date('0026-03-31 00:00:00Z')`, which takes
 * years 0001–0099 for 2001–2049 and 1950–1999: an instant before year 0100 would be stored as
 * sent and read back as another. Nothing this platform records is that old or that far ahead, so
 * the range refuses no real instant; how far back or ahead a record may be is a business rule
 * (effective-time.ts), answered with a 422.
 */
export const EARLIEST_INSTANT = '0100-01-01T00:00:00.000000Z';
export const LATEST_INSTANT = '9999-12-31T23:59:59.999999Z';

/** The longest instant written out: nanoseconds and an offset (`…T23:59:59.999999999+14:00`). */
const INSTANT_MAX_CHARS = '9999-12-31T23:59:59.999999999+14:00'.length;

const earliestMs = Date.parse(EARLIEST_INSTANT);
const latestMs = Date.parse(LATEST_INSTANT);
const RANGE_MESSAGE = `must be from ${EARLIEST_INSTANT} to ${LATEST_INSTANT} in UTC`;

/** Whether an instant's text (already of a valid format) falls in the range, offset applied. */
const inRange = (text: string): boolean => {
  const ms = Date.parse(text);
  return ms >= earliestMs && ms <= latestMs;
};

/**
 * An instant as a request writes it: RFC 3339 with an offset (`Z` or `±hh:mm`), no longer than
 * nanoseconds with an offset, in the range. Read as a `Date` (milliseconds; Postgres keeps
 * microseconds).
 *
 * @example instantString.parse('2026-01-31T12:00:00+01:00') // Date 2026-01-31T11:00:00.000Z
 */
export const instantString = z.pipe(
  z.described(
    z.iso
      .datetime({ offset: true, abort: true, message: 'must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T12:00:00Z' })
      .check(z.maxLength(INSTANT_MAX_CHARS, `must be at most ${INSTANT_MAX_CHARS} characters`), z.refine(inRange, RANGE_MESSAGE)),
    `An ISO 8601 instant with a time zone, from ${EARLIEST_INSTANT} to ${LATEST_INSTANT} in UTC`,
  ),
  z.transform((text) => new Date(text)),
);

/**
 * An instant inside a cursor: exactly as `instantKey` (db/keyset.ts) writes it, in UTC with
 * microseconds, in the range. Kept as text, since it goes back to Postgres unchanged.
 */
export const cursorInstant = z.iso.datetime({ precision: 6, abort: true }).check(z.refine(inRange, RANGE_MESSAGE));
