import { DatabaseErrorException } from '@aws-sdk/client-rds-data';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Db, getDb } from '../../shared/db/client';
import { newUser, useApi } from '../support/api';
import { captureOutput } from '../support/output';

/**
 * On the Data API a statement that fails inside a transaction aborts it, so the rollback kysely
 * sends next finds no transaction. The error that reaches the caller, the logs and the API's
 * answer must still be the statement's own.
 */
const api = useApi();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a statement that fails inside a transaction', () => {
  it('rejects the transaction with its own error', async () => {
    // Prepare: a users row, then a transaction that inserts it again (unique_violation, 23505)
    const id = '00000000-0000-4000-8000-0000000000a1';
    const insertUser = (db: Db) =>
      sql`INSERT INTO users (id, email, role) VALUES (${id}::uuid, 'twice@example.com', 'lp')`.execute(db);
    await insertUser(getDb());

    // Act
    const transaction = getDb().transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      await insertUser(trx);
    });

    // Assess
    await expect(transaction).rejects.toThrow(DatabaseErrorException);
    await expect(transaction).rejects.toThrow(/duplicate key value violates unique constraint.*SQLState: 23505/s);
  });

  it("is the error a route logs, with the API's 500 unchanged", async () => {
    // Prepare: the project's audit row, the last write of its transaction, is refused
    const admin = newUser('admin');
    // Provisioned first: a caller's first call writes an audit row of its own.
    await api.get('/api/projects/00000000-0000-4000-8000-000000000000', { as: admin });
    await sql`CREATE FUNCTION fault_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault: audit rows cannot be written' USING ERRCODE = 'restrict_violation'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_refuse_audit BEFORE INSERT ON audit_admin_actions FOR EACH ROW EXECUTE FUNCTION fault_refuse_audit()`.execute(
      getDb(),
    );
    // The route's function logs errors, as deployed (its environment is the process's).
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
    const output = captureOutput();

    try {
      // Act
      const response = await api.post('/api/projects', { name: 'Never written' }, { as: admin });
      output.restore();

      // Assess
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ type: 'about:blank', status: 500 });
      const logged = output.json().find((line) => line.message === 'Unhandled error');
      expect(logged?.error).toMatchObject({ name: 'DatabaseErrorException' });
      expect(logged?.error.message).toMatch(/injected fault: audit rows cannot be written.*SQLState: 23001/s);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM projects`.execute(getDb());
      expect(rows[0]?.n).toBe(0);
    } finally {
      output.restore();
      vi.unstubAllEnvs();
      await sql`DROP TRIGGER fault_refuse_audit ON audit_admin_actions`.execute(getDb());
      await sql`DROP FUNCTION fault_refuse_audit()`.execute(getDb());
    }
  });
});
