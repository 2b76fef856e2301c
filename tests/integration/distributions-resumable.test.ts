import { type KyselyPlugin, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { workers } from '../../functions/workers';
import { getDb } from '../../shared/db/client';
import * as calculation from '../../shared/distributions/calculation/calculate-allocations';
import { FIRST_HOLDER } from '../../shared/distributions/calculation/calculation.repository';
import { isGuessedWrite, parseCalculationState } from '../../shared/distributions/calculation/calculation-state';
import { failCalculation } from '../../shared/distributions/calculation/fail-calculation';
import { newUser, type TestUser, useApi } from '../support/api';
import { allocationCheck, seedBulkHolders } from '../support/bulk-holders';
import { createDistribution, createProject, moveTokens, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

/**
 * A calculation interrupted anywhere ends with exactly the rows and snapshot hash of one that
 * ran without interruption: across many short invocations (each stops when its time runs out,
 * mid-pass), and when a worker is killed before or after any of its statements.
 */

/** Where an invocation of the worker left the calculation: where the next one starts. */
async function progressOf(eventId: string): Promise<{ phase: string; midPass: boolean }> {
  const { rows } = await sql<{ state: unknown }>`SELECT calculation_state AS state FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  const state = parseCalculationState(rows[0]?.state ?? null);
  if (isGuessedWrite(state)) return { phase: 'guessed write', midPass: state.after !== FIRST_HOLDER };
  const firstPass = state.phase === 'select' && state.snapshotHash === undefined;
  return { phase: firstPass ? 'first pass' : state.phase, midPass: state.phase === 'select' && state.pass !== undefined };
}

/** The small holdings most tests here use (['3', '1', '3', '0.0000002', '3', '7.5'], 10.0000001 to distribute), in units. */
const SMALL_TOTALS = { tokens: '175000002', amount: '100000001', percent: '1000000000' };
const NONE = { amount: '0', percent: '0' };

/**
 * How a calculation is started: as a request leaves it (it guesses its cut and writes at once),
 * told to search for its cut first (as after a guess that missed), or, for the small holdings,
 * with a guess whose band misses the cut (every holder gets the unit, and only those with no
 * remainder are kept: too few to take back), which drops its rows and starts over searching first.
 */
const STARTS: Record<string, unknown> = {
  'guessing its cut': null,
  'searching for its cut first': { phase: 'snapshot', searchFirst: true },
  'with a guess that misses its cut': {
    phase: 'write',
    seq: 1,
    totals: SMALL_TOTALS,
    guess: {
      cuts: { amount: { lo: '0', at: '0', hi: '1' }, percent: { lo: '0', at: '0', hi: '1' } },
      floorSums: NONE,
      given: NONE,
      keptBelow: NONE,
      keptAbove: NONE,
      snapshot: { holders: 0, tokens: '0', hash: '' },
    },
    after: FIRST_HOLDER,
    written: 0,
    amountUnits: '0',
    percentUnits: '0',
  },
};

const api = useApi();
const queues = useQueues();

beforeAll(() => {
  // With a 2 s Lambda timeout, about 150 ms of work per invocation: the margin covers a
  // (declared) 1.6 s statement timeout and a commit. Each statement covers 200 holders, so
  // every pass over 20,000 holders takes 100 steps, far more than one invocation does.
  Object.assign(process.env, {
    DATA_API_STATEMENT_TIMEOUT_MS: '1600',
    CALCULATION_COMMIT_ALLOWANCE_MS: '250',
    CALCULATION_TIME_MARGIN_MS: '1850',
    ALLOCATION_CHUNK_SIZE: '200',
  });
});

async function allocationRows(eventId: string) {
  const { rows } = await sql<{ holder: string; tokens: string; percent: string; amount: string }>`
    SELECT lp_token_holder_id::text AS holder, lp_tokens_held::text AS tokens,
      ownership_percentage::text AS percent, allocated_amount::text AS amount
    FROM distribution_allocations WHERE distribution_event_id = ${eventId}::uuid ORDER BY lp_token_holder_id`.execute(getDb());
  return rows;
}

/** Rows of one event that the other lacks, either way (in one statement: 20,000 rows exceed a Data API answer). */
async function rowsDiffering(eventId: string, otherEventId: string) {
  const { rows } = await sql<{ n: number }>`
    WITH a AS (SELECT lp_token_holder_id, lp_tokens_held, ownership_percentage, allocated_amount, available_amount
               FROM distribution_allocations WHERE distribution_event_id = ${eventId}::uuid),
         b AS (SELECT lp_token_holder_id, lp_tokens_held, ownership_percentage, allocated_amount, available_amount
               FROM distribution_allocations WHERE distribution_event_id = ${otherEventId}::uuid)
    SELECT ((SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b) x) +
            (SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a) y))::int AS n`.execute(getDb());
  return rows[0]?.n;
}

interface Reference {
  snapshot: Awaited<ReturnType<typeof snapshotOf>>;
  totals: { tokens: string; amount: string; percent: string };
}

/** Stores a calculation state as a worker would have left it. */
async function setState(eventId: string, state: unknown) {
  await sql`UPDATE distribution_events SET calculation_state = ${JSON.stringify(state)}::jsonb WHERE id = ${eventId}::uuid`.execute(getDb());
}

async function snapshotOf(eventId: string) {
  const { rows } = await sql<{ status: string; snapshot_hash: string | null }>`
    SELECT status, snapshot_hash FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
  return rows[0];
}

async function requestedEvent(admin: TestUser, projectId: string, total: string) {
  const eventId = await createDistribution(api, admin, projectId, { total_amount: total });
  const accepted = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  if (accepted.status !== 202) throw new Error(`calculate: ${accepted.status}`);
  return eventId;
}

/** The same holdings calculated by one worker that never runs out of time, at the largest statement size. */
async function uninterrupted(admin: TestUser, projectId: string, total: string) {
  const eventId = await requestedEvent(admin, projectId, total);
  queues.purge();
  expect(await calculation.calculateAllocations(getDb(), eventId, { chunkSize: 20_000, hasTimeLeft: () => true })).toBe('calculated');
  return { eventId, snapshot: await snapshotOf(eventId) };
}

describe('a calculation that is interrupted', () => {
  it.each([
    { path: 'guessing its cut', start: null, midPass: 'guessed write' },
    { path: 'searching for its cut first', start: STARTS['searching for its cut first'], midPass: 'first pass' },
  ])('finishes across many short invocations, $path, resuming mid-pass, to the rows of an uninterrupted run', { timeout: 240_000 }, async ({ start, midPass }) => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedBulkHolders(projectId, admin.id, 20_000);
    const reference = await uninterrupted(admin, projectId, '987654.3210987');
    const eventId = await requestedEvent(admin, projectId, '987654.3210987');
    if (start !== null) await setState(eventId, start);
    const starts: { phase: string; midPass: boolean }[] = [];

    // Act: the real worker with a 2 s Lambda timeout
    const deliveries = await queues.drainCalculations({ ...workers.calculateAllocations, timeoutSeconds: 2 }, async () => {
      starts.push(await progressOf(eventId));
    });

    // Assess: many invocations, some of which picked up the pass that takes the snapshot (the
    // guessed write, or the first cut-search pass) half done, and the write pass part-written
    expect(deliveries).toBeGreaterThan(5);
    expect(starts).toContainEqual({ phase: midPass, midPass: true });
    expect(starts.filter((at) => at.phase === 'write' || at.phase === 'guessed write').length).toBeGreaterThan(1);
    expect(await snapshotOf(eventId)).toEqual(reference.snapshot);
    expect(reference.snapshot).toMatchObject({ status: 'calculated', snapshot_hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(await rowsDiffering(eventId, reference.eventId)).toBe(0);
    const check = await allocationCheck(eventId);
    expect(check).toMatchObject({ rows: 20_000, wrong_amounts: 0, wrong_percentages: 0, snapshot_hash: reference.snapshot?.snapshot_hash });
  });

  it.each([
    // snapshot, cut-search passes of each kind, writes; a cut gathered by the write pass
    { path: 'searching for its cut first', least: { statements: 30, leftoverUpdates: 1, deletes: 0 } },
    // snapshot and sample, writes, the candidates given their unit
    { path: 'guessing its cut', least: { statements: 10, leftoverUpdates: 1, deletes: 0 } },
    // the guessed writes, their rows dropped, and the way searching first
    { path: 'with a guess that misses its cut', least: { statements: 40, leftoverUpdates: 1, deletes: 1 } },
  ])('is killed before or after any one statement, $path, and finishes, once resumed, to the same rows', { timeout: 240_000 }, async ({ path, least }) => {
    // Prepare: holdings with ties and tiny search limits, so the run goes through every kind of pass.
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['3', '1', '3', '0.0000002', '3', '7.5']);
    const small = { chunkSize: 2, searchLimits: { buckets: 2, gatherLimit: 1n } };
    const uninterruptedRun = await uninterrupted(admin, projectId, '10.0000001');
    const reference = { rows: await allocationRows(uninterruptedRun.eventId), snapshot: uninterruptedRun.snapshot };
    const started = async () => {
      const eventId = await requestedEvent(admin, projectId, '10.0000001');
      queues.purge();
      if (STARTS[path] !== null) await setState(eventId, STARTS[path]);
      return eventId;
    };
    const seen = { statements: 0, leftoverUpdates: 0, deletes: 0 };
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        const text = JSON.stringify(args.node);
        seen.statements += 1;
        if (text.includes('UPDATE distribution_allocations SET')) seen.leftoverUpdates += 1;
        if (text.includes('DELETE FROM distribution_allocations')) seen.deletes += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const probe = await started();
    await calculation.calculateAllocations(getDb().withPlugin(counting), probe, { ...small, hasTimeLeft: () => true });
    expect(await allocationRows(probe)).toEqual(reference.rows);
    expect(seen.statements).toBeGreaterThan(least.statements);
    expect(seen.leftoverUpdates).toBeGreaterThanOrEqual(least.leftoverUpdates);
    expect(seen.deletes).toBeGreaterThanOrEqual(least.deletes);
    const statements = seen.statements;

    // Act and assess: for every statement of that run, a worker dies just before sending it, or
    // just after it ran (a transaction it was part of then never commits); another finishes.
    const kills = [];
    for (let at = 1; at <= statements; at += 1) for (const when of ['before', 'after'] as const) kills.push({ at, when });
    for (const { at, when } of kills) {
      const eventId = await started();
      let seen = 0;
      const killer: KyselyPlugin = {
        transformQuery: (args) => {
          seen += 1;
          if (when === 'before' && seen === at) throw new Error('killed');
          return args.node;
        },
        transformResult: async (args) => {
          if (when === 'after' && seen === at) throw new Error('killed');
          return args.result;
        },
      };
      await expect(calculation.calculateAllocations(getDb().withPlugin(killer), eventId, { ...small, hasTimeLeft: () => true })).rejects.toThrow('killed');
      expect(await calculation.calculateAllocations(getDb(), eventId, { ...small, hasTimeLeft: () => true })).toBe('calculated');
      expect({ at, when, rows: await allocationRows(eventId), snapshot: await snapshotOf(eventId) }).toEqual({ at, when, ...reference });
    }
  });

  it.each(Object.keys(STARTS).flatMap((path) => [0, 1, 2, 5].map((checks) => ({ path, checks }))))(
    'stops whenever its time runs out (after $checks checks), $path, and ends with the same rows', async ({ path, checks }) => {
    // Prepare: the holdings and search limits of the test above, which reach every kind of pass
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['3', '1', '3', '0.0000002', '3', '7.5']);
    const small = { chunkSize: 2, searchLimits: { buckets: 2, gatherLimit: 1n } };
    const reference = await uninterrupted(admin, projectId, '10.0000001');
    const eventId = await requestedEvent(admin, projectId, '10.0000001');
    queues.purge();
    if (STARTS[path] !== null) await setState(eventId, STARTS[path]);

    // Act: invocations that each have time for `checks` checks of the clock, until done
    const outcomes: string[] = [];
    for (let invocation = 0; outcomes.at(-1) !== 'calculated' && invocation < 500; invocation += 1) {
      let left = checks;
      outcomes.push(await calculation.calculateAllocations(getDb(), eventId, { ...small, hasTimeLeft: () => left-- > 0 }));
    }

    // Assess
    expect(outcomes.at(-1)).toBe('calculated');
    expect(outcomes.slice(0, -1).every((outcome) => outcome === 'paused')).toBe(true);
    expect(await snapshotOf(eventId)).toEqual(reference.snapshot);
    expect(await allocationRows(eventId)).toEqual(await allocationRows(reference.eventId));
  },
  );

  it.each([
    ['mid-way through its own snapshot pass', (_reference: Reference) => ({ phase: 'snapshot', seq: 3, progress: { after: FIRST_HOLDER, holders: 2, tokens: '6', hash: 'AAAA' } })],
    [
      'with its snapshot taken, before the first cut-search pass',
      (reference: Reference) => ({ phase: 'select', seq: 3, totals: reference.totals, holders: 6, snapshotHash: reference.snapshot?.snapshot_hash, searches: null }),
    ],
  ])('resumes a state an earlier build saved %s, to the same rows', async (_when, saved) => {
    // Prepare: a reference run, then an event whose state is one the earlier build wrote
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['3', '1', '3', '0.0000002', '3', '7.5']);
    const { eventId: referenceId, snapshot } = await uninterrupted(admin, projectId, '10.0000001');
    const reference: Reference = { snapshot, totals: SMALL_TOTALS };
    const eventId = await requestedEvent(admin, projectId, '10.0000001');
    queues.purge();
    await setState(eventId, saved(reference));

    // Act
    const outcome = await calculation.calculateAllocations(getDb(), eventId, { chunkSize: 2, hasTimeLeft: () => true });

    // Assess
    expect(outcome).toBe('calculated');
    expect(await snapshotOf(eventId)).toEqual(snapshot);
    expect(await allocationRows(eventId)).toEqual(await allocationRows(referenceId));
  });

  it('fails, saying why, when the balances do not add up to the tokens in issue', async () => {
    // Prepare: a first pass started from a sum one unit off what the balances add up to
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['3', '1']);
    const eventId = await requestedEvent(admin, projectId, '10');
    queues.purge();
    await setState(eventId, { phase: 'select', seq: 1, totals: { tokens: '40000001', amount: '100000000', percent: '1000000000' }, searches: null });

    // Act
    const outcome = await calculation.calculateAllocations(getDb(), eventId, { chunkSize: 1, hasTimeLeft: () => true });

    // Assess: failed with the reason, no rows
    expect(outcome).toBe('failed');
    const { rows } = await sql<{ status: string; failure_reason: string }>`
      SELECT status, failure_reason FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
    expect(rows[0]).toEqual({ status: 'failed', failure_reason: expect.stringMatching(/add up to 40000000 units, not the 40000001 in issue/) });
    expect(await allocationRows(eventId)).toEqual([]);
  });

  it('fails a guessed write, saying why, when the balances it wrote do not add up to the tokens in issue, and drops its candidates', async () => {
    // Prepare: a guessed write started from a sum one unit off what the balances add up to
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['3', '1']);
    const eventId = await requestedEvent(admin, projectId, '10');
    queues.purge();
    const everyone = { lo: '0', at: '20000000', hi: '40000001' };
    await setState(eventId, {
      ...(STARTS['with a guess that misses its cut'] as object),
      totals: { tokens: '40000001', amount: '100000000', percent: '1000000000' },
      guess: {
        cuts: { amount: everyone, percent: everyone },
        floorSums: NONE,
        given: NONE,
        keptBelow: NONE,
        keptAbove: NONE,
        snapshot: { holders: 0, tokens: '0', hash: '' },
      },
    });

    // Act: one holder a step, so the first step's candidates are in before the last step finds the sum off
    const outcome = await calculation.calculateAllocations(getDb(), eventId, { chunkSize: 1, hasTimeLeft: () => true });

    // Assess: failed with the reason; no candidate left behind
    expect(outcome).toBe('failed');
    const { rows } = await sql<{ status: string; failure_reason: string; candidates: number }>`
      SELECT status, failure_reason,
        (SELECT count(*)::int FROM distribution_cut_candidates WHERE distribution_event_id = ${eventId}::uuid) AS candidates
      FROM distribution_events WHERE id = ${eventId}::uuid`.execute(getDb());
    expect(rows[0]).toEqual({ status: 'failed', failure_reason: expect.stringMatching(/add up to 40000000 units, not the 40000001 in issue/), candidates: 0 });
  });

  it('keeps a worker of a failed attempt from writing into the next one', async () => {
    // Prepare: a worker of the first attempt reads the first chunk's balances, then stalls.
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const holders = await seedHolders(api, admin, projectId, ['5', '3', '2', '7']);
    const first = holders.map((holder) => holder.id).sort()[0]; // the holder of the first chunk
    const eventId = await requestedEvent(admin, projectId, '100');
    queues.purge();
    let resume: () => void = () => {};
    const stalled = new Promise<void>((resolve) => (resume = resolve));
    let readFirstChunk: () => void = () => {};
    const firstChunkRead = new Promise<void>((resolve) => (readFirstChunk = resolve));
    let snapshotReads = 0;
    let current = '';
    const stalling: KyselyPlugin = {
      transformQuery: (args) => {
        current = JSON.stringify(args.node);
        if (current.includes('AS balance')) snapshotReads += 1;
        return args.node;
      },
      transformResult: async (args) => {
        if (current.includes('AS balance') && snapshotReads === 1) {
          readFirstChunk();
          await stalled;
        }
        return args.result;
      },
    };
    const stale = calculation.calculateAllocations(getDb().withPlugin(stalling), eventId, { chunkSize: 1, hasTimeLeft: () => true });
    await firstChunkRead;

    // Act: the attempt fails, the books reopen and a holding changes, and the event is calculated
    // again (its step number starts over); then the stalled worker goes on.
    await failCalculation(getDb(), { eventId, projectId, requestedBy: admin.id }, 'stopped by the test');
    const issued = await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: first!, amount: '11', effective_at: '2026-01-01T00:00:00Z' });
    expect(issued.status).toBe(201);
    const again = await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    expect(again.status).toBe(202);
    queues.purge();
    resume();
    expect(await stale).toBe('calculated');

    // Assess: what it read in the first attempt never landed; the rows are those of the new holdings.
    const reference = await uninterrupted(admin, projectId, '100');
    expect(await snapshotOf(eventId)).toEqual(reference.snapshot);
    expect(await allocationRows(eventId)).toEqual(await allocationRows(reference.eventId));
  });
});
