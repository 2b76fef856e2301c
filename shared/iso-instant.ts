/**
 * An optional instant as the API writes it: ISO 8601 in UTC, or null when it has not happened.
 *
 * @example isoOrNull(row.decided_at) // '2026-11-29T12:00:00.000Z' or null
 */
export const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());
