import type pg from 'pg';
import { trackInFlight } from './connections';
import { DataApiError, fromPostgresError } from './errors';
import type { PositionalStatement } from './parameters';

export interface StatementLimits {
  timeoutMs: number;
  /** The Data API's continueAfterTimeout: answer the timeout but let the statement finish. */
  continueAfterTimeout: boolean;
  cancel: (processId: number) => Promise<void>;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Runs one statement. The extended query protocol makes Postgres itself refuse several
 * statements in one call ("cannot insert multiple commands into a prepared statement"), as the
 * Data API does. A statement still running after `timeoutMs` is cancelled (unless asked to
 * continue), and the call answers StatementTimeoutException once it has stopped.
 */
export async function runStatement(
  client: pg.PoolClient,
  { text, values }: PositionalStatement,
  limits: StatementLimits,
): Promise<pg.QueryArrayResult> {
  const config: pg.QueryArrayConfig & { queryMode: 'extended' } = { text, values, rowMode: 'array', queryMode: 'extended' };
  const query = client.query(config);
  trackInFlight(client, query);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), limits.timeoutMs);
  });
  try {
    const outcome = await Promise.race([query, deadline]);
    if (outcome !== TIMED_OUT) return outcome;
  } catch (error) {
    throw fromPostgresError(error);
  } finally {
    clearTimeout(timer);
  }
  const processId = (client as unknown as { processID: number }).processID;
  if (!limits.continueAfterTimeout) {
    await limits.cancel(processId);
    // pg_cancel_backend only signals; answer once the statement has actually stopped.
    await query.catch(() => undefined);
  }
  throw new DataApiError('StatementTimeoutException', `The statement did not finish within ${limits.timeoutMs} ms`, {
    dbConnectionId: processId,
  });
}
