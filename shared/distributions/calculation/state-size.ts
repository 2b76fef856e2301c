/**
 * The calculation state's JSON: a parameter on every step, and part of the row the calculation
 * reads (calculation-limits.ts says why this much). Its own module: every repository sizes its
 * reads from db/table-widths.ts, which needs this figure and none of the calculation's limits.
 */
export const STATE_MAX_BYTES = 24 * 1024;
