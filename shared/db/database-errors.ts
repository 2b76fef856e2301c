/**
 * What a database error means for the work that met it, whichever client raised it: `pg` gives
 * the SQLSTATE as `code`; the RDS Data API (and its emulator) reports it inside the message of a
 * DatabaseErrorException as `SQLState: 22003`.
 */

/** The five-character SQLSTATE of a database error, or undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return /SQLState: ([0-9A-Z]{5})/.exec(error.message)?.[1];
}

/**
 * SQLSTATE classes that fail the same way however often the statement is retried: data
 * exceptions (22: numeric overflow, invalid text), integrity constraints (23: the schema's own
 * rules raise restrict_violation too) and syntax or access rule violations (42, a missing column
 * included). A retry can only repeat them, so work that meets one should stop at once with its
 * reason. A bare RAISE EXCEPTION (P0001) says nothing about retrying and stays transient.
 */
const PERMANENT_CLASSES = new Set(['22', '23', '42']);

export function isPermanentDatabaseError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && PERMANENT_CLASSES.has(state.slice(0, 2));
}
