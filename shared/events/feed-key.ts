import * as z from '../zod';

const XID8_MAX = 2n ** 64n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

/** A non-negative integer's decimal text, no larger than `max` (so its cast in SQL cannot fail). */
const integerText = (max: bigint) =>
  z.string().check(
    z.regex(/^(0|[1-9]\d{0,19})$/),
    z.refine((text) => BigInt(text) <= max, `must be at most ${max}`),
  );

/**
 * A place in the event feed: after the event of this transaction id and sequence. Strict, and
 * kept to the types' ranges, so a forged cursor is a 400 and never reaches Postgres.
 */
export const feedKey = z.strictObject({ xact_id: integerText(XID8_MAX), seq: integerText(BIGINT_MAX) });
export type FeedKey = z.output<typeof feedKey>;
