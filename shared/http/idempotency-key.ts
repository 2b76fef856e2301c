/**
 * The Idempotency-Key's rules, apart from the runner (shared/http/idempotency.ts) so that the API
 * reference can state them without loading the runner and its database code.
 */

/** A repeat of the same key within this window gets the first response back; after it the key is forgotten. */
export const KEY_LIFETIME_SECONDS = 24 * 3600;

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
