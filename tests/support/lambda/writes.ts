import { sql } from 'kysely';
import { getDb } from '../../../shared/db/client';

/**
 * The table the test functions write to, so a test can tell whether a write happened. Created by
 * the test (`createWritesTable`); the test database's cleanup empties it between tests.
 */
export async function createWritesTable(): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS lambda_writes (tag text NOT NULL, receive_count int, written_at timestamptz NOT NULL DEFAULT now())`.execute(getDb());
}

export async function recordWrite(tag: string, receiveCount?: number): Promise<void> {
  await sql`INSERT INTO lambda_writes (tag, receive_count) VALUES (${tag}, ${receiveCount ?? null})`.execute(getDb());
}

export async function writesTagged(tag: string): Promise<Array<{ receive_count: number | null }>> {
  const { rows } = await sql<{ receive_count: number | null }>`
    SELECT receive_count FROM lambda_writes WHERE tag = ${tag} ORDER BY written_at`.execute(getDb());
  return rows;
}
