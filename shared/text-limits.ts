/**
 * The longest text each free-text field holds, in characters. The request schemas refuse longer
 * (each area's schemas.ts: freeText) and the reads are sized from them (db/table-widths.ts), so
 * they live here, apart from the schemas: a handler that only reads carries none of them.
 * A varchar(n) column is at least as wide (tests/unit/read-bounds.test.ts).
 */

/** project_cashflows.source is varchar(128). */
export const CASHFLOW_SOURCE_MAX_CHARS = 128;
export const DOCUMENT_URL_MAX_CHARS = 2_048;

/** distribution_events.title is varchar(255). */
export const TITLE_MAX_CHARS = 255;
export const DESCRIPTION_MAX_CHARS = 10_000;

/** projects.name is varchar(255). */
export const PROJECT_NAME_MAX_CHARS = 255;

export const TX_HASH_MAX_CHARS = 255;
/** A treasury transaction's metadata, as JSON text (jsonTextLength). */
export const METADATA_MAX_CHARS = 16_384;

/** users.name is varchar(255). */
export const USER_NAME_MAX_CHARS = 255;
/** users.email is varchar(320); z.email() takes ASCII only. */
export const EMAIL_MAX_CHARS = 320;

/**
 * A wallet address, as the chain writes it. At most 64 characters: treasury transactions record
 * addresses in varchar(64) columns, so a longer one could never move money.
 */
export const WALLET_ADDRESS_MAX_CHARS = 64;
export const WALLET_LABEL_MAX_CHARS = 255;

/** withdrawal_requests.payment_reference is varchar(255). */
export const PAYMENT_REFERENCE_MAX_CHARS = 255;
