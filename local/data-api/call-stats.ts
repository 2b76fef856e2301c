/**
 * The extremes of the calls an emulator served (how close a workload runs to the Data API's
 * limits: shared/db/data-api-limits.ts) and their totals (what the calls cost beyond Postgres).
 */
export interface CallStats {
  /** The largest request body, in bytes (limit 4 MiB). */
  maxRequestBytes: number;
  /** The largest ExecuteStatement response as result-limits.ts measures it against 1 MiB, refused ones included. */
  maxResponseBytes: number;
  /** The longest a statement ran on Postgres, in ms, timed as the statement timeout times it. */
  maxStatementMs: number;
  /** The first error answered, as `<type>: <message>`: a refused call, a timeout, a database error. */
  firstError: string | null;
  /** Requests served: statements, transaction begins and ends. */
  calls: number;
  /** Σ ExecuteStatement response bytes. */
  responseBytes: number;
  /** Σ time statements ran on Postgres, in ms. */
  statementMs: number;
}

const none = (): CallStats => ({ maxRequestBytes: 0, maxResponseBytes: 0, maxStatementMs: 0, firstError: null, calls: 0, responseBytes: 0, statementMs: 0 });

/** Keeps CallStats as calls are served; `take()` hands them over and starts afresh. */
export class CallStatsRecorder {
  #stats = none();

  request(bytes: number): void {
    this.#stats.maxRequestBytes = Math.max(this.#stats.maxRequestBytes, bytes);
    this.#stats.calls += 1;
  }

  response(bytes: number): void {
    this.#stats.maxResponseBytes = Math.max(this.#stats.maxResponseBytes, bytes);
    this.#stats.responseBytes += bytes;
  }

  statement(ms: number): void {
    this.#stats.maxStatementMs = Math.max(this.#stats.maxStatementMs, ms);
    this.#stats.statementMs += ms;
  }

  error(type: string, message: string): void {
    this.#stats.firstError ??= `${type}: ${message}`;
  }

  take(): CallStats {
    const taken = this.#stats;
    this.#stats = none();
    return taken;
  }
}
