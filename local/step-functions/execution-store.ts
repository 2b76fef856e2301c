import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The state a running execution is in: entered when, with what input, and a callback task's token. */
export interface CurrentState {
  name: string;
  input: string;
  enteredAt: Date;
  token?: string;
}

export interface ExecutionRecord {
  arn: string;
  name: string;
  /** The definition the execution started with: it keeps running it, as on AWS. */
  definition: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Set while RUNNING. */
  state?: CurrentState;
}

export interface ExecutionEnd {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  stopDate: Date;
  output?: string;
  error?: string;
  cause?: string;
}

/** What SendTaskSuccess or SendTaskFailure said for a token. */
export type TaskAnswer = { output: string } | { error?: string; cause?: string };

export interface TaskTokenRecord {
  token: string;
  executionArn: string;
  answer?: TaskAnswer;
  /** Answered, timed out, or its state or execution ended: the token no longer takes an answer. */
  closed: boolean;
}

export interface ExecutionStore {
  /** Stores a new execution and the token of the state it starts in. */
  insert(execution: ExecutionRecord & { state: CurrentState }): void;
  find(arn: string): ExecutionRecord | undefined;
  running(): ExecutionRecord[];
  /** Moves a running execution to its next state, closing the token of the one it leaves; false if it is no longer running. */
  transition(arn: string, next: CurrentState): boolean;
  /** Ends a running execution, closing its token; false if it was not running. */
  end(arn: string, end: ExecutionEnd): boolean;
  token(token: string): TaskTokenRecord | undefined;
  /** Records the answer to an open token and closes it; false if it was closed already. */
  answer(token: string, answer: TaskAnswer, at: Date): boolean;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS executions (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
  start_date TEXT NOT NULL,
  stop_date TEXT,
  output TEXT,
  error TEXT,
  cause TEXT,
  state_name TEXT,
  state_input TEXT,
  state_entered_at TEXT,
  state_token TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS executions_running ON executions (status) WHERE status = 'RUNNING';
CREATE TABLE IF NOT EXISTS task_tokens (
  token TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL REFERENCES executions (arn),
  answer TEXT,
  closed_at TEXT
) STRICT;
`;

interface ExecutionRow {
  arn: string;
  name: string;
  definition: string;
  input: string;
  status: ExecutionStatus;
  start_date: string;
  stop_date: string | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  state_name: string | null;
  state_input: string | null;
  state_entered_at: string | null;
  state_token: string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => value ?? undefined;

function toRecord(row: ExecutionRow): ExecutionRecord {
  return {
    arn: row.arn,
    name: row.name,
    definition: row.definition,
    input: row.input,
    status: row.status,
    startDate: new Date(row.start_date),
    stopDate: row.stop_date === null ? undefined : new Date(row.stop_date),
    output: orUndefined(row.output),
    error: orUndefined(row.error),
    cause: orUndefined(row.cause),
    state:
      row.state_name === null || row.state_input === null || row.state_entered_at === null
        ? undefined
        : { name: row.state_name, input: row.state_input, enteredAt: new Date(row.state_entered_at), token: orUndefined(row.state_token) },
  };
}

/**
 * Executions and their task tokens in SQLite (node:sqlite), `executions.sqlite` under `dataDir`
 * (in memory without one). Every change is one transaction, committed before the caller goes on:
 * in WAL mode with synchronous=FULL a commit survives a killed process and a power cut, and a
 * transaction cut short leaves nothing behind. The API is synchronous on purpose: nothing else
 * runs between a state's end and the record of its transition.
 */
export function openExecutionStore(dataDir?: string): ExecutionStore {
  let location = ':memory:';
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    location = join(dataDir, 'executions.sqlite');
  }
  const db = new DatabaseSync(location);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  db.exec(SCHEMA);

  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const statements = {
    insert: db.prepare(`INSERT INTO executions (arn, name, definition, input, status, start_date, state_name, state_input, state_entered_at, state_token)
      VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)`),
    find: db.prepare('SELECT * FROM executions WHERE arn = ?'),
    running: db.prepare(`SELECT * FROM executions WHERE status = 'RUNNING' ORDER BY start_date`),
    transition: db.prepare(`UPDATE executions SET state_name = ?, state_input = ?, state_entered_at = ?, state_token = ?
      WHERE arn = ? AND status = 'RUNNING'`),
    end: db.prepare(`UPDATE executions SET status = ?, stop_date = ?, output = ?, error = ?, cause = ?,
      state_name = NULL, state_input = NULL, state_entered_at = NULL, state_token = NULL
      WHERE arn = ? AND status = 'RUNNING'`),
    issueToken: db.prepare('INSERT INTO task_tokens (token, execution_arn) VALUES (?, ?)'),
    closeCurrentToken: db.prepare(`UPDATE task_tokens SET closed_at = ?
      WHERE token = (SELECT state_token FROM executions WHERE arn = ? AND status = 'RUNNING') AND closed_at IS NULL`),
    token: db.prepare('SELECT token, execution_arn, answer, closed_at FROM task_tokens WHERE token = ?'),
    answer: db.prepare('UPDATE task_tokens SET answer = ?, closed_at = ? WHERE token = ? AND closed_at IS NULL'),
  };

  return {
    insert: (execution) =>
      transaction(() => {
        const { state } = execution;
        statements.insert.run(execution.arn, execution.name, execution.definition, execution.input, execution.startDate.toISOString(),
          state.name, state.input, state.enteredAt.toISOString(), state.token ?? null);
        if (state.token !== undefined) statements.issueToken.run(state.token, execution.arn);
      }),
    find: (arn) => {
      const row = statements.find.get(arn) as ExecutionRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    running: () => (statements.running.all() as unknown as ExecutionRow[]).map(toRecord),
    transition: (arn, next) =>
      transaction(() => {
        statements.closeCurrentToken.run(next.enteredAt.toISOString(), arn);
        const moved = statements.transition.run(next.name, next.input, next.enteredAt.toISOString(), next.token ?? null, arn).changes === 1;
        if (moved && next.token !== undefined) statements.issueToken.run(next.token, arn);
        return moved;
      }),
    end: (arn, end) =>
      transaction(() => {
        statements.closeCurrentToken.run(end.stopDate.toISOString(), arn);
        return statements.end.run(end.status, end.stopDate.toISOString(), end.output ?? null, end.error ?? null, end.cause ?? null, arn).changes === 1;
      }),
    token: (token) => {
      const row = statements.token.get(token) as { token: string; execution_arn: string; answer: string | null; closed_at: string | null } | undefined;
      if (row === undefined) return undefined;
      return {
        token: row.token,
        executionArn: row.execution_arn,
        answer: row.answer === null ? undefined : (JSON.parse(row.answer) as TaskAnswer),
        closed: row.closed_at !== null,
      };
    },
    answer: (token, answer, at) => statements.answer.run(JSON.stringify(answer), at.toISOString(), token).changes === 1,
    close: () => db.close(),
  };
}
