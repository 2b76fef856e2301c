import type { Context } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { ConflictError, RuleViolationError } from '../../shared/errors';
import { idempotentRunner } from '../../shared/http/idempotency';
import { reconcile } from '../../shared/reconcile/reconcile';
import { newUser, type TestUser, useApi } from '../support/api';
import { redeemableHolding } from '../support/fixtures';

/**
 * Idempotency-Key: a key whose change committed never runs again, whatever happens between that
 * commit and its record; records expire after their window and the reconciler removes them.
 */
const TIMEOUT_SECONDS = 8;
const api = useApi({ timeoutSeconds: TIMEOUT_SECONDS });

afterEach(async () => {
  await sql`DROP TRIGGER IF EXISTS fault_pause ON idempotency_records`.execute(getDb());
  await sql`DROP FUNCTION IF EXISTS fault_pause()`.execute(getDb());
});

const createProject = (admin: TestUser, key: string, name = 'Once') =>
  api.post('/api/projects', { name }, { as: admin, headers: { 'idempotency-key': key } });

async function projectsNamed(name: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM projects WHERE name = ${name}`.execute(getDb());
  return rows[0]?.n ?? -1;
}

/** A Lambda context with `remainingMs` left, for calling the runner in this process. */
const contextWith = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;

/** Work that commits one row of its own (a reconciler observation: no foreign keys) and counts its runs. */
function countedWork(result: unknown) {
  const work = async () => {
    work.runs += 1;
    await getDb().transaction().execute((trx) =>
      sql`INSERT INTO reconciler_observations (kind, subject_id, progress, unchanged_since)
        VALUES ('idempotency-test', gen_random_uuid(), '', now())`.execute(trx),
    );
    return result;
  };
  work.runs = 0;
  return work;
}

/** Rows countedWork has committed so far. */
async function workCommitted(): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reconciler_observations WHERE kind = 'idempotency-test'`.execute(getDb());
  return rows[0]?.n ?? -1;
}

describe('a request with an Idempotency-Key', () => {
  it('whose invocation is killed after its change committed and before its record was completed never runs again', async () => {
    // Prepare: a warm function, and completing a record now fails, and only after the function's
    // timeout (failing rather than being ended: ending the session would break the pool of an
    // environment that answered its own timeout and lives on, as middy lets it)
    const admin = newUser('admin');
    expect((await createProject(admin, 'warm-up', 'Warm')).status).toBe(201);
    await sql`CREATE FUNCTION fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(${sql.lit(TIMEOUT_SECONDS)}); RAISE EXCEPTION 'fault: the record is not completed'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER fault_pause BEFORE UPDATE ON idempotency_records
      FOR EACH ROW WHEN (NEW.status = 'COMPLETED') EXECUTE FUNCTION fault_pause()`.execute(getDb());

    // Act: the invocation is stopped at its timeout; the client then tries again
    const killed = await createProject(admin, 'create-once');
    // Waits for the pending completion to fail (it holds the table)
    await sql`DROP TRIGGER fault_pause ON idempotency_records`.execute(getDb());
    const repeat = await createProject(admin, 'create-once');

    // Assess: one project; the repeat is told the request was carried out
    expect(killed.status).toBe(500);
    expect(await projectsNamed('Once')).toBe(1);
    expect({ status: repeat.status, detail: repeat.body.detail }).toEqual({ status: 409, detail: expect.stringMatching(/already carried out/) });
  });

  it('whose change did not commit leaves the key free for a retry', async () => {
    // Prepare: the project has no NAV yet, so the request is refused inside its transaction
    const { lp, projectId } = await redeemableHolding(api);
    await sql`DELETE FROM project_nav_history WHERE project_id = ${projectId}::uuid`.execute(getDb());
    const ask = () => api.post('/api/redemptions', { project_id: projectId, tokens_amount: '1' }, { as: lp, headers: { 'idempotency-key': 'redeem-1' } });

    // Act
    const refused = await ask();
    await sql`INSERT INTO project_nav_history (project_id, nav_per_token, source, effective_at)
      VALUES (${projectId}::uuid, 2, 'audited', now() - interval '1 day')`.execute(getDb());
    const retried = await ask();

    // Assess
    expect(refused.status).toBe(422);
    expect(retried.status).toBe(202);
  });

  it('keeps the key, and is replayed as carried out, when its work fails after its change committed', async () => {
    const run = idempotentRunner<unknown>();
    const request = { key: 'caller POST /api/things commit-then-fail', request: { body: '{}' } };
    const work = countedWork(undefined);
    const failing = async () => {
      await work();
      throw new ConflictError('refused after the commit');
    };

    await expect(run(request, contextWith(10_000), failing)).rejects.toThrow('refused after the commit');
    const repeat = run(request, contextWith(10_000), failing);

    await expect(repeat).rejects.toThrow(/already carried out/);
    expect(work.runs).toBe(1);
  });

  it('leaves the key free for a retry when its work committed only reads before failing', async () => {
    const run = idempotentRunner<unknown>();
    const request = { key: 'caller POST /api/things read-then-fail', request: { body: '{}' } };
    let runs = 0;
    const readThenFail = async () => {
      runs += 1;
      await getDb().transaction().execute((trx) => sql`SELECT count(*) FROM projects`.execute(trx));
      throw new RuleViolationError('refused after a read');
    };

    await expect(run(request, contextWith(10_000), readThenFail)).rejects.toThrow('refused after a read');
    await expect(run(request, contextWith(10_000), readThenFail)).rejects.toThrow('refused after a read');

    expect(runs).toBe(2);
  });

  it('rolls its change back when its record is gone before the change commits', async () => {
    const run = idempotentRunner<unknown>();
    const request = { key: 'caller POST /api/things record-gone', request: { body: '{}' } };
    const work = countedWork({ status: 201 });
    const afterRecordGone = async () => {
      await sql`DELETE FROM idempotency_records`.execute(getDb());
      return work();
    };

    const before = await workCommitted();

    await expect(run(request, contextWith(10_000), afterRecordGone)).rejects.toThrow(/record of this request is gone/);

    expect(work.runs).toBe(1);
    expect(await workCommitted()).toBe(before);
  });

  it('with a response too large to keep is replayed as carried out, and runs once', async () => {
    const run = idempotentRunner<unknown>();
    const request = { key: 'caller POST /api/things large', request: { body: '{}' } };
    const work = countedWork({ status: 201, body: { text: 'x'.repeat(70_000) } });

    const first = await run(request, contextWith(10_000), work);
    const repeat = run(request, contextWith(10_000), work);

    expect(first).toMatchObject({ status: 201 });
    await expect(repeat).rejects.toThrow(/already carried out/);
    expect(work.runs).toBe(1);
  });

  it('is kept under an id that fits its column whatever the function is called', async () => {
    // Prepare: a name longer than Lambda allows (64), as a local or test runtime may give
    const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
    process.env.AWS_LAMBDA_FUNCTION_NAME = `local-${'f'.repeat(300)}`;
    const run = idempotentRunner<unknown>();
    if (name === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = name;
    const request = { key: 'caller POST /api/things long-name', request: { body: '{}' } };
    const work = countedWork({ status: 201 });

    // Act
    const first = await run(request, contextWith(10_000), work);
    const repeat = await run(request, contextWith(10_000), work);

    // Assess
    expect(first).toEqual({ status: 201 });
    expect(repeat).toEqual({ status: 201 });
    expect(work.runs).toBe(1);
  });

  it('takes a key of 255 characters on the longest path', async () => {
    const holding = await redeemableHolding(api);
    const key = 'k'.repeat(255);
    const path = `/api/distributions/allocations/${crypto.randomUUID()}/withdrawals`;

    const first = await api.post(path, { amount: '1' }, { as: holding.lp, headers: { 'idempotency-key': key } });
    const created = await createProject(holding.admin, key, 'Long key');
    const repeat = await createProject(holding.admin, key, 'Long key');

    expect(first.status).toBe(404);
    expect(created.status).toBe(201);
    expect(repeat.body).toEqual(created.body);
  });
});

describe('idempotency records', () => {
  it('are forgotten after their window: the same key then runs again', async () => {
    const admin = newUser('admin');
    const first = await createProject(admin, 'a-day-ago', 'Daily');
    await sql`UPDATE idempotency_records SET expiry_timestamp = extract(epoch FROM now())::bigint - 1`.execute(getDb());

    const again = await createProject(admin, 'a-day-ago', 'Daily');

    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('past their window are removed by the reconciler; the others stay', async () => {
    // Prepare
    const admin = newUser('admin');
    await createProject(admin, 'expired', 'Expired');
    await sql`UPDATE idempotency_records SET expiry_timestamp = extract(epoch FROM now())::bigint - 1`.execute(getDb());
    await createProject(admin, 'current', 'Current');

    // Act
    const report = await reconcile(getDb(), { now: new Date(), describe: async () => undefined });

    // Assess
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM idempotency_records`.execute(getDb());
    expect(rows[0]?.n).toBe(1);
    expect(report.idempotencyRecordsPurged).toBe(1);
    expect((await createProject(admin, 'current', 'Current')).status).toBe(201);
    expect(await projectsNamed('Current')).toBe(1);
  });
});

// Records as the Powertools-based runner wrote them (ids and payload hashes computed by
// @aws-lambda-powertools/idempotency 2.35.0): the runner that replaced it gives the same answers.
describe('records written by the earlier runner', () => {
  const FUNCTION_NAME = 'tokenstocks-dev-CreateProject';
  const plain = {
    request: { key: 'user-1 POST /api/projects key-1', request: { path: {}, body: '{"name":"Pinned"}' } },
    id: `${FUNCTION_NAME}#iNxSjTcaHcbbY4g6IH0W8w==`,
    payloadHash: 'uzMUQgxFklg/NWKTWOdquQ==',
  };
  // Keys sorted case-insensitively before hashing (Alpha, beta, projectId).
  const withPath = {
    request: { key: 'user-1 POST /api/projects/{id}/nav k', request: { path: { projectId: 'p-1', Alpha: 'x', beta: 'y' }, body: null } },
    id: `${FUNCTION_NAME}#zE4vPwV4MwhRJ6MJpGTfjg==`,
    payloadHash: 'OrgmJwN0UxxgwGRjQkBwew==',
  };

  function runnerOf(functionName: string) {
    const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
    process.env.AWS_LAMBDA_FUNCTION_NAME = functionName;
    try {
      return idempotentRunner<unknown>();
    } finally {
      if (name === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = name;
    }
  }

  interface StoredRecord {
    status: 'INPROGRESS' | 'COMPLETED';
    /** Seconds from now. */
    expiresIn: number;
    /** Milliseconds from now; null: none. */
    leaseEndsIn: number | null;
    payloadHash?: string;
    response: string | null;
    committed: boolean;
  }

  async function store(pinned: { id: string; payloadHash: string }, record: StoredRecord) {
    const nowMs = Date.now();
    await sql`INSERT INTO idempotency_records (id, status, expiry_timestamp, in_progress_expiry_timestamp, payload_hash, response_data, committed_at)
      VALUES (${pinned.id}, ${record.status}, ${Math.round(nowMs / 1000) + record.expiresIn},
        ${record.leaseEndsIn === null ? null : nowMs + record.leaseEndsIn}, ${record.payloadHash ?? pinned.payloadHash},
        ${record.response}, ${record.committed ? sql`now()` : null})`.execute(getDb());
  }

  afterEach(async () => {
    await sql`DELETE FROM idempotency_records WHERE id LIKE ${`${FUNCTION_NAME}#%`}`.execute(getDb());
  });

  const completed = { status: 'COMPLETED', expiresIn: 3600, leaseEndsIn: 10_000, response: '{"status":201,"body":{"id":"first"}}', committed: true } as const;
  it.each([
    ['completed: its response is replayed', plain, completed, { replayed: { status: 201, body: { id: 'first' } } }],
    ['completed, path parameters in the payload: replayed', withPath, completed, { replayed: { status: 201, body: { id: 'first' } } }],
    ['completed without a kept response: carried out', plain, { ...completed, response: null }, { refused: /already carried out/ }],
    ['in progress: still in progress', plain, { ...completed, status: 'INPROGRESS', response: null, committed: false }, { refused: /still in progress/ }],
    ['in progress, committed, lease ended: carried out', plain, { ...completed, status: 'INPROGRESS', leaseEndsIn: -1000, response: null }, { refused: /already carried out/ }],
    ['in progress, not committed, lease ended: runs again', plain, { ...completed, status: 'INPROGRESS', leaseEndsIn: -1000, response: null, committed: false }, { ran: true }],
    ['expired: runs again', plain, { ...completed, expiresIn: -10 }, { ran: true }],
    ['another request under the same key: refused', plain, { ...completed, payloadHash: 'another==' }, { refused: /different request/ }],
  ] as const)('%s', async (_case, pinned, record, expected) => {
    // Prepare
    await store(pinned, record);
    const run = runnerOf(FUNCTION_NAME);
    const work = countedWork({ status: 201, body: { id: 'second' } });

    // Act
    const outcome = run(pinned.request, contextWith(10_000), work);

    // Assess
    if ('replayed' in expected) expect(await outcome).toEqual(expected.replayed);
    if ('refused' in expected) await expect(outcome).rejects.toThrow(expected.refused);
    if ('ran' in expected) expect(await outcome).toEqual({ status: 201, body: { id: 'second' } });
    expect(work.runs).toBe('ran' in expected ? 1 : 0);
  });

  it('are kept under the same id and payload hash by the runner of today', async () => {
    const run = runnerOf(FUNCTION_NAME);
    await run(withPath.request, contextWith(10_000), countedWork({ status: 201 }));
    const { rows } = await sql<{ id: string; payload_hash: string }>`SELECT id, payload_hash FROM idempotency_records WHERE id LIKE ${`${FUNCTION_NAME}#%`}`.execute(getDb());
    expect(rows).toEqual([{ id: withPath.id, payload_hash: withPath.payloadHash }]);
  });
});
