/**
 * The RDS Data API's documented limits (Aurora User Guide, "Data API limits" and
 * "Troubleshooting"). Every statement the application sends is sized from these, and the local
 * emulator (local/data-api) enforces the same numbers, so a statement that would be refused on
 * AWS is refused in the tests first.
 */
export const DATA_API_LIMITS = {
  /** A response's result set, measured by the emulator as the JSON of the answer (stricter than AWS). */
  maxResponseBytes: 1024 * 1024,
  /** One row of a result set. */
  maxRowBytes: 64 * 1024,
  /** A request, SQL and parameters included. */
  maxRequestBytes: 4 * 1024 * 1024,
  /** A call that has not answered by then fails with StatementTimeoutException. */
  statementTimeoutMs: 45_000,
  /** A transaction unused for this long is rolled back by the service. */
  transactionIdleMs: 3 * 60_000,
} as const;
