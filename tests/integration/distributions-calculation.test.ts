import fc from 'fast-check';
import { type KyselyPlugin, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { workers } from '../../functions/workers';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import { calculateAllocations } from '../../shared/distributions/calculation/calculate-allocations';
import { apportionReference } from '../../shared/distributions/calculation/apportionment';
import { newUser, useApi } from '../support/api';
import { allocationCheck, seedBulkHolders } from '../support/bulk-holders';
import {
  allAllocations,
  createDistribution,
  createProject,
  moveTokens,
  refuseAllocationRows,
  registerUser,
  seedHolders,
} from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

beforeAll(() => {
  // Small chunks, so a handful of holders already spans several statements per pass.
  process.env.ALLOCATION_CHUNK_SIZE = '2';
});

async function allocationRows(eventId: string) {
  const { rows } = await sql<{ holder: string; tokens: string; percent: string; amount: string }>`
    SELECT lp_token_holder_id::text AS holder, lp_tokens_held::text AS tokens,
      ownership_percentage::text AS percent, allocated_amount::text AS amount
    FROM distribution_allocations WHERE distribution_event_id = ${eventId}::uuid ORDER BY lp_token_holder_id`.execute(getDb());
  return rows;
}

async function eventRow(eventId: string) {
  const { rows } = await sql<{ status: string; snapshot_hash: string | null; holders_done: number }>`
    SELECT status, snapshot_hash, holders_done FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  return rows[0];
}

/** A project with the same holdings, calculated without interference: what every other run must match. */
async function referenceRun(balances: string[], total: string) {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  await seedHolders(api, admin, projectId, balances);
  const eventId = await createDistribution(api, admin, projectId, { total_amount: total });
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainCalculations();
  return { admin, projectId, eventId };
}

describe('the allocation calculation', () => {
  it('yields one allocation set for 100 concurrent calculate calls', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2', '3', '4', '5']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '10' });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin })),
    );
    await queues.drainCalculations();

    // Assess: every call accepted (the first moved it to calculating, the rest re-enqueued)
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    expect(await allocationRows(eventId)).toHaveLength(5);
    expect((await eventRow(eventId))?.status).toBe('calculated');
    const { rows } = await sql`SELECT 1 FROM distribution_activity_log WHERE distribution_event_id = ${eventId}::uuid
      AND activity_type IN ('calculation_requested', 'allocations_calculated')`.execute(getDb());
    expect(rows).toHaveLength(2);
  });

  it('handles the same message delivered twice, even at once, as one', async () => {
    const { eventId } = await referenceRun(['1', '2', '3'], '7');
    const expected = await allocationRows(eventId);
    const { handler } = await import('../../functions/workers/calculate-allocations');
    const record = (id: string) => ({
      messageId: id,
      receiptHandle: id,
      body: JSON.stringify({ event_id: eventId }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:allocation',
      awsRegion: 'us-east-1',
    });
    const context = { getRemainingTimeInMillis: () => 300_000, functionName: 'test' } as never;

    // Redeliveries after completion do nothing
    const results = await Promise.all([handler({ Records: [record('a')] }, context), handler({ Records: [record('b')] }, context)]);

    expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(await allocationRows(eventId)).toEqual(expected);
  });

  it('lets two workers race on one calculation and still writes one identical set', async () => {
    // The reference: an event on the same holdings and record date, calculated on its own.
    const reference = await referenceRun(['5', '1', '4', '2', '3', '9', '7'], '13.0000001');
    const { admin, projectId } = reference;
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '13.0000001' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();

    const outcomes = await Promise.all(
      [1, 2, 3].map(() => calculateAllocations(getDb(), eventId, { chunkSize: 2, hasTimeLeft: () => true })),
    );

    expect(outcomes).toContain('calculated');
    expect(await allocationRows(eventId)).toEqual(await allocationRows(reference.eventId));
    expect((await eventRow(eventId))?.snapshot_hash).toBe((await eventRow(reference.eventId))?.snapshot_hash);
  });

  it('resumes after a worker dies between chunks and finishes to the identical allocations', async () => {
    const reference = await referenceRun(['3', '1', '4', '1', '5', '9', '2', '6', '5'], '100');
    const { admin, projectId } = reference;
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });

    // The fourth write chunk fails once, as if the database connection dropped mid-transaction.
    await sql`CREATE TABLE fault_budget (remaining int)`.execute(getDb());
    await sql`INSERT INTO fault_budget VALUES (1)`.execute(getDb());
    await sql`CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM distribution_allocations WHERE distribution_event_id = NEW.distribution_event_id) >= 6
           AND (SELECT remaining FROM fault_budget) > 0 THEN
          UPDATE fault_budget SET remaining = remaining - 1;
          RAISE EXCEPTION 'injected fault';
        END IF;
        RETURN NEW;
      END $$`.execute(getDb());
    await sql`CREATE TRIGGER fail_once BEFORE INSERT ON distribution_allocations FOR EACH ROW EXECUTE FUNCTION fail_once()`.execute(getDb());
    try {
      await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
      // The failing delivery's transaction rolled back; the redelivery resumes from the cursor.
      await expect(calculateAllocations(getDb(), eventId, { chunkSize: 2, hasTimeLeft: () => true })).rejects.toThrow(/injected fault/);
      const midway = await eventRow(eventId);
      expect(midway).toMatchObject({ status: 'calculating', holders_done: 6 });
      expect(await allocationRows(eventId)).toHaveLength(6);
      await sql`UPDATE fault_budget SET remaining = 0`.execute(getDb());
      await queues.drainCalculations();
    } finally {
      await sql`DROP TRIGGER fail_once ON distribution_allocations`.execute(getDb());
      await sql`DROP FUNCTION fail_once`.execute(getDb());
      await sql`DROP TABLE fault_budget`.execute(getDb());
    }

    expect((await eventRow(eventId))?.status).toBe('calculated');
    expect(await allocationRows(eventId)).toEqual(await allocationRows(reference.eventId));
    expect((await eventRow(eventId))?.snapshot_hash).toBe((await eventRow(reference.eventId))?.snapshot_hash);
  });

  // Searching first, the first pass reads on after a full last chunk: it proves Σ balances over
  // every holder. Its chunks' states ride in the next chunk's read; saved on their own: Σ tokens'
  // and the last chunk's. Guessing, the write takes the snapshot and reads on after a full last
  // chunk likewise; its states are saved with its rows: only Σ tokens' (with the bands) on its own.
  it.each([
    { path: 'searching first', holders: 4, reads: 3, saves: 2, writes: 2 },
    { path: 'searching first', holders: 5, reads: 3, saves: 2, writes: 3 },
    { path: 'guessing', holders: 4, reads: 0, saves: 1, writes: 3 },
    { path: 'guessing', holders: 5, reads: 0, saves: 1, writes: 3 },
  ])('calculates $holders holders $path, 2 a statement, in $reads first-pass reads, $saves state saves and $writes writes', async ({ path, holders, reads, saves, writes }) => {
    // Prepare: an event calculating, its message taken off the queue, and statements counted by kind.
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2', '3', '4', '5'].slice(0, holders));
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();
    if (path === 'searching first') {
      await sql`UPDATE distribution_events SET calculation_state = '{"phase":"snapshot","searchFirst":true}' WHERE id = ${eventId}::uuid`.execute(getDb());
    }
    const counts = { reads: 0, saves: 0, writes: 0 };
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        const text = JSON.stringify(args.node);
        if (text.includes("'lines'::text AS kind") && !text.includes('INSERT INTO')) counts.reads += 1;
        else if (text.includes('UPDATE distribution_events SET calculation_state') && !text.includes('holders_done')) counts.saves += 1;
        if (text.includes('INSERT INTO distribution_allocations')) counts.writes += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };

    // Act
    const outcome = await calculateAllocations(getDb().withPlugin(counting), eventId, { chunkSize: 2, hasTimeLeft: () => true });

    // Assess: a chunk scanned short of its size, or the last holder written, ends its pass.
    expect(outcome).toBe('calculated');
    expect(await allocationRows(eventId)).toHaveLength(holders);
    expect(counts).toEqual({ reads, saves, writes });
  });

  it('hands over to a continuation message when its time runs out', async () => {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2', '3', '4', '5']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '15' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });

    // A worker whose Lambda always has less time left than the margin: one step per delivery
    // (the sum of the tokens with the guess, then the write), each message handing over to the next.
    const delivered = await queues.drainCalculations({ ...workers.calculateAllocations, timeoutSeconds: 1 });

    expect(delivered).toBeGreaterThan(1);
    expect((await eventRow(eventId))?.status).toBe('calculated');
    expect((await allocationRows(eventId)).map((r) => r.amount)).toEqual(
      expect.arrayContaining(['1.0000000', '2.0000000', '3.0000000', '4.0000000', '5.0000000']),
    );
  });

  it('matches the decimal reference model on the real database', async () => {
    const admin = newUser('admin');
    const balanceArb = fc.oneof(
      fc.constantFrom('0.0000001', '1', '3', '1000000000000'),
      fc.bigInt({ min: 1n, max: 10n ** 12n }).map((u) => new Decimal(u.toString()).dividedBy(1e7).toFixed(7)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(balanceArb, { minLength: 1, maxLength: 9 }),
        fc.oneof(fc.constantFrom('0.0000001', '1', '100', '9999999999999.9999999'), fc.bigInt({ min: 1n, max: 10n ** 15n }).map((u) => new Decimal(u.toString()).dividedBy(1e7).toFixed(7))),
        fc.record({ buckets: fc.integer({ min: 2, max: 8 }), gatherLimit: fc.bigInt({ min: 1n, max: 4n }) }),
        async (balances, total, searchLimits) => {
          const projectId = await createProject(api, admin);
          const holders = await seedHolders(api, admin, projectId, balances);
          const eventId = await createDistribution(api, admin, projectId, { total_amount: total });
          await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
          queues.purge();
          await calculateAllocations(getDb(), eventId, { chunkSize: 2, hasTimeLeft: () => true, searchLimits });

          const reference = apportionReference(
            new Decimal(total),
            holders.map((h, i) => ({ holderId: h.id, balance: new Decimal(balances[i] as string) })),
          );
          const rows = await allocationRows(eventId);
          expect(rows).toHaveLength(holders.length);
          for (const row of rows) expect(new Decimal(row.amount).toFixed(7)).toBe(reference.get(row.holder)?.toFixed(7));
        },
      ),
      {
        numRuns: 40,
        // A remainder just below a bucket's end, which numeric division once rounded into the next bucket.
        examples: [[['1000000000000', '1000000000000', '0.0000001'], '0.0000001', { buckets: 2, gatherLimit: 1n }]],
      },
    );
    // 40 projects seeded and calculated: about 25 s on a loaded machine, past the default timeout,
    // and a timed-out property keeps running into the next test.
  }, 120_000);

  it('allocates the balances as of the record date whatever the ledger records after it, even mid-calculation', async () => {
    // Prepare: holders, and movements after the record date of every kind: a transfer out, a burn,
    // a holder who sells everything, one who appears only after the record date.
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const [seller = '', burner = '', leaver = '', keeper = ''] = (await seedHolders(api, admin, projectId, ['10', '20.0000003', '30', '7'])).map((h) => h.id);
    const newcomer = newUser('lp');
    await registerUser(api, admin, newcomer);
    const later = (hours: number) => new Date(Date.parse('2026-05-01T00:00:00Z') + hours * 3_600_000).toISOString();
    const move = async (movement: Parameters<typeof moveTokens>[3]) => {
      const response = await moveTokens(api, admin, projectId, movement);
      if (response.status !== 201) throw new Error(`movement: ${response.status} ${JSON.stringify(response.body)}`);
    };
    await move({ kind: 'transfer', holder_id: seller, to_holder_id: keeper, amount: '4.5', effective_at: later(1) });
    await move({ kind: 'burn', holder_id: burner, amount: '20', effective_at: later(2) });
    await move({ kind: 'transfer', holder_id: leaver, to_holder_id: newcomer.id, amount: '30', effective_at: later(3) });
    await move({ kind: 'issue', holder_id: newcomer.id, amount: '1000', effective_at: later(4) });
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100.0000001' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();

    // Act: one step per invocation, and the ledger moves on (after the record date) between steps.
    const small = { chunkSize: 2, searchLimits: { buckets: 2, gatherLimit: 1n } };
    let outcome = 'paused';
    for (let hour = 100; outcome === 'paused'; hour += 1) {
      outcome = await calculateAllocations(getDb(), eventId, { ...small, hasTimeLeft: () => false });
      await move({ kind: 'transfer', holder_id: newcomer.id, to_holder_id: hour % 2 === 0 ? seller : leaver, amount: '1', effective_at: later(hour) });
    }

    // Assess: the rows and the snapshot hash of the ledger as of the record date.
    expect(outcome).toBe('calculated');
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ holders: 4, rows: 4, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0 });
    expect((await eventRow(eventId))?.snapshot_hash).toBe(check.snapshot_hash);
  });

  /** An event of 20,000 holders asked to calculate, its message taken off the queue. */
  async function calculating20000Holders() {
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedBulkHolders(projectId, admin.id, 20_000);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '987654.3210987' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();
    return eventId;
  }

  it('writes many holders at once, guessing the cut from a sample, each row once and exact, and leaves no candidate behind', async () => {
    // Prepare: 20,000 holders
    const eventId = await calculating20000Holders();
    const seen = { reads: 0, writes: 0, deletes: 0, unitsMoved: 0 };
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        const text = JSON.stringify(args.node);
        if (text.includes('AS floor_sum') || (text.includes("'lines'::text AS kind") && !text.includes('INSERT INTO'))) seen.reads += 1;
        if (text.includes('INSERT INTO distribution_cut_candidates')) seen.writes += 1;
        if (text.includes('DELETE FROM distribution_allocations')) seen.deletes += 1;
        if (text.includes('UPDATE distribution_allocations SET')) seen.unitsMoved += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };

    // Act
    const outcome = await calculateAllocations(getDb().withPlugin(counting), eventId, { chunkSize: 5_000, hasTimeLeft: () => true });

    // Assess: exact; no read of the holders before the writes, which went through once (the cut
    // within the band: nothing dropped); at most one move of units per dimension; no candidate kept after
    expect(outcome).toBe('calculated');
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ holders: 20_000, rows: 20_000, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0 });
    expect(seen).toMatchObject({ reads: 0, writes: 5, deletes: 0 });
    expect(seen.unitsMoved).toBeLessThanOrEqual(2);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM distribution_cut_candidates WHERE distribution_event_id = ${eventId}::uuid`.execute(getDb());
    expect(rows[0]?.n).toBe(0);
  });

  it('starts over searching first when the sample misleads the guess, and still allocates exactly', async () => {
    // Prepare: 4,000 holders; the 2,000 with the lowest ids hold 1 token each, the others 3, so
    // S = 8,000 tokens and, of 0.00088 (8,800 units), each 1-token holder has 1 unit and a
    // remainder of 0.1·S, each 3-token holder 3 units and 0.3·S: 800 units are left over, all for
    // 3-token holders. The sample (the first 1,246 by id) sees only 1-token holders, so the guess
    // gives every holder the unit and keeps only the 1-token holders as candidates: 3,200 units
    // to take back from 2,000 candidates.
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedBulkHolders(projectId, admin.id, 4_000, {
      id: (prefix) => sql`(CASE WHEN i <= 2000 THEN '0' ELSE '8' END || substr(md5(${prefix} || i), 2))::uuid`,
      balance: sql`CASE WHEN i <= 2000 THEN 1 ELSE 3 END`,
    });
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '0.00088' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    queues.purge();
    const seen = { guessedWrites: 0, rowsDropped: 0, firstPassReads: 0 };
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        const text = JSON.stringify(args.node);
        if (text.includes('INSERT INTO distribution_cut_candidates')) seen.guessedWrites += 1;
        if (text.includes('DELETE FROM distribution_allocations')) seen.rowsDropped += 1;
        if (text.includes("'lines'::text AS kind") && !text.includes('INSERT INTO')) seen.firstPassReads += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };

    // Act
    const outcome = await calculateAllocations(getDb().withPlugin(counting), eventId, { chunkSize: 1_000, hasTimeLeft: () => true });

    // Assess: written once guessing, dropped, then searched for and written again; exact
    expect(outcome).toBe('calculated');
    expect(seen.guessedWrites).toBeGreaterThanOrEqual(4);
    expect(seen.rowsDropped).toBeGreaterThanOrEqual(4);
    expect(seen.firstPassReads).toBeGreaterThanOrEqual(4);
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ holders: 4_000, rows: 4_000, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0, allocated: '0.0008800' });
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM distribution_cut_candidates WHERE distribution_event_id = ${eventId}::uuid`.execute(getDb());
    expect(rows[0]?.n).toBe(0);
  });

  it('finds the cut of many holders in the first pass, searching first, its buckets on a band around S/2, without a second histogram pass', async () => {
    // Prepare: 20,000 holders, 100 buckets and 20 candidates a gather keeps: equal buckets (~180
    // holders each) leave the cut's bucket too full to gather; the band's hold ~17 each.
    const eventId = await calculating20000Holders();
    await sql`UPDATE distribution_events SET calculation_state = '{"phase":"snapshot","searchFirst":true}' WHERE id = ${eventId}::uuid`.execute(getDb());
    let laterHistogramReads = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        // readHistograms: the histogram reads of every pass after the first
        if (JSON.stringify(args.node).includes('AS floor_sum')) laterHistogramReads += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };

    // Act
    const outcome = await calculateAllocations(getDb().withPlugin(counting), eventId, {
      chunkSize: 5_000,
      hasTimeLeft: () => true,
      searchLimits: { buckets: 100, gatherLimit: 20n },
    });

    // Assess: exact, and the cut gathered by the write pass straight after the first pass
    expect(outcome).toBe('calculated');
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ holders: 20_000, rows: 20_000, wrong_amounts: 0, wrong_percentages: 0, wrong_tokens: 0 });
    expect(laterHistogramReads).toBe(0);
  });

  it('fails at once with the database reason when a statement can never succeed', async () => {
    // Prepare: the database refuses every allocation row with an overflow (SQLSTATE 22003), from a
    // trigger, however often it is retried
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['10', '1']);
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '100' });
    const removeFault = await refuseAllocationRows();

    try {
      // Act
      await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
      const deliveries = await queues.drainCalculations();

      // Assess: one delivery, no retries and nothing in the dead-letter queue; the reason says why.
      expect(deliveries).toBe(1);
      expect(queues.depth('allocation-dlq')).toBe(0);
      const event = await api.get(`/api/distributions/${eventId}`, { as: admin });
      expect(event.body).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/numeric field overflow.*22003/s) });
      expect(await allocationRows(eventId)).toHaveLength(0);
      const { rows } = await sql<{ reason: string }>`SELECT changes_summary->>'reason' AS reason FROM distribution_activity_log
        WHERE distribution_event_id = ${eventId}::uuid AND activity_type = 'calculation_failed'`.execute(getDb());
      expect(rows).toEqual([{ reason: event.body.failure_reason }]);
    } finally {
      await removeFault();
    }
  });

  it('reads allocations across pages identically to the rows written', async () => {
    const { admin, eventId } = await referenceRun(['1', '1', '1', '1', '1'], '1');
    const viaApi = await allAllocations(api, admin, eventId);
    expect(viaApi.map((a) => a.allocated_amount)).toEqual((await allocationRows(eventId)).map((r) => new Decimal(r.amount).toFixed(7)));
  });
});
