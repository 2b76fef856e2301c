import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { Decimal } from '../../shared/decimal';
import {
  addCandidates,
  addHistogram,
  apportionReference,
  bucketBounds,
  type CutSearch,
  cutFromCandidates,
  emptyTally,
  everything,
  fromUnits,
  narrow,
  type Dimension,
  type SearchLimits,
  startCutSearch,
  type Totals,
  walkTies,
} from '../../shared/distributions/calculation/apportionment';
import {
  addLeftoverUnits,
  type ChunkScope,
  FIRST_HOLDER,
  insertAllocations,
  readCandidates,
  readFirstPass,
  readHistograms,
  readTies,
} from '../../shared/distributions/calculation/calculation.repository';

/**
 * The SQL of calculation.repository.ts on crafted holdings: which bucket a remainder falls in,
 * which holders a search pass sees, and who gets the units left over. The calculation's own
 * tests (distributions-calculation.test.ts) go through the API and the worker; these call the
 * statements directly, so a case costs a few statements.
 */

const RECORD_DATE = new Date('2026-03-31T00:00:00Z');
const PERCENT = 1_000_000_000n;

/** A project whose ledger issues each holder its balance (in units of 10^-7) before the record date, with the current balances in step. */
async function seedLedger(units: readonly bigint[]): Promise<{ projectId: string; holderIds: string[] }> {
  const db = getDb();
  const admin = randomUUID();
  await sql`INSERT INTO users (id, email, role) VALUES (${admin}::uuid, ${`${admin}@example.com`}, 'admin')`.execute(db);
  const projectId = randomUUID();
  await sql`INSERT INTO projects (id, name, created_by) VALUES (${projectId}::uuid, 'Crafted', ${admin}::uuid)`.execute(db);
  const holderIds = units.map(() => randomUUID());
  for (const [i, holderId] of holderIds.entries()) {
    const balance = fromUnits(units[i] as bigint).toFixed(7);
    await sql`INSERT INTO users (id, email, role) VALUES (${holderId}::uuid, ${`${holderId}@example.com`}, 'lp')`.execute(db);
    await sql`INSERT INTO lp_token_movements (project_id, kind, to_holder_id, amount, effective_at, recorded_by)
      VALUES (${projectId}::uuid, 'issue', ${holderId}::uuid, cast(${balance} as numeric), '2026-01-01T00:00:00Z', ${admin}::uuid)`.execute(db);
    await sql`INSERT INTO lp_token_balances (project_id, lp_token_holder_id, lp_tokens_allocated)
      VALUES (${projectId}::uuid, ${holderId}::uuid, cast(${balance} as numeric))`.execute(db);
  }
  return { projectId, holderIds };
}

async function insertEvent(projectId: string, amountUnits: bigint): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO distribution_events (project_id, event_type, title, total_amount, distribution_date, created_by)
    SELECT ${projectId}::uuid, 'revenue', 'Crafted', cast(${fromUnits(amountUnits).toFixed(7)} as numeric), ${RECORD_DATE.toISOString()}::timestamptz, created_by
    FROM projects WHERE id = ${projectId}::uuid
    RETURNING id::text`.execute(getDb());
  return rows[0]?.id ?? '';
}

const scopeAt = (projectId: string, after: string, size: number): ChunkScope => ({ projectId, recordDate: RECORD_DATE, after, size });

/**
 * One dimension's cut search over the ledger in chunks of `size`, every pass a statement per
 * chunk, decided by the production search functions; stops at a gather when the write pass is to gather.
 */
async function searchCut(
  projectId: string,
  totals: Totals,
  dimension: Dimension,
  size: number,
  limits: SearchLimits,
  gatherWhileWriting: boolean,
): Promise<CutSearch> {
  const db = getDb();
  const total = dimension === 'amount' ? totals.amount : totals.percent;
  let search: CutSearch = everything(totals.tokens);
  let firstPass = true;
  for (let passes = 0; search.phase !== 'done' && !(gatherWhileWriting && search.phase === 'gather'); passes += 1) {
    if (passes > 200) throw new Error('the cut search does not converge');
    let tally = emptyTally(search, limits);
    let floorSum = 0n;
    let after: string | null = FIRST_HOLDER;
    while (after !== null && search.phase !== 'done') {
      const scope = scopeAt(projectId, after, size);
      if (search.phase === 'histogram' && tally?.kind === 'histogram') {
        const request = { dimension, lo: search.lo, hi: search.hi, buckets: limits.buckets };
        const chunk = firstPass ? await readFirstPass(db, scope, totals, [request], 2) : await readHistograms(db, scope, totals, [request], false);
        floorSum += chunk.floorSums.get(dimension) ?? 0n;
        const histogram = chunk.histograms.get(dimension);
        if (histogram === undefined) throw new Error(`no histogram of ${dimension}`);
        tally = addHistogram(tally, histogram);
        after = chunk.lastHolderId;
      } else if (search.phase === 'gather' && tally?.kind === 'gather') {
        const chunk = await readCandidates(db, scope, totals, [{ dimension, lo: search.lo, hi: search.hi, need: search.need }]);
        tally = addCandidates(tally, chunk.candidates.get(dimension) ?? [], search.need);
        after = chunk.lastHolderId;
      } else if (search.phase === 'tie-walk' && tally?.kind === 'tie-walk') {
        const chunk = await readTies(db, scope, totals, [{ dimension, remainder: search.remainder, nth: search.need - tally.seen }]);
        const walked = walkTies(search, tally, chunk.ties.get(dimension) ?? { tied: 0n, nth: null });
        search = walked.search;
        tally = walked.tally;
        after = chunk.lastHolderId;
      } else throw new Error(`no pass for ${search.phase}`);
    }
    if (firstPass) {
      const start = startCutSearch(total - floorSum, everything(totals.tokens));
      search = start.phase === 'histogram' && tally?.kind === 'histogram' ? narrow(start, tally, limits) : start;
      firstPass = false;
    } else if (search.phase === 'histogram' && tally?.kind === 'histogram') search = narrow(search, tally, limits);
    else if (search.phase === 'gather' && tally?.kind === 'gather') search = cutFromCandidates(search, tally);
  }
  return search;
}

/**
 * Every pass of the calculation straight through the repository's statements, then the write
 * pass (gathering the cuts still open, as write-pass.ts does); answers the rows written.
 */
async function apportionInSql(units: readonly bigint[], amount: bigint, size: number, limits: SearchLimits, gatherWhileWriting: boolean) {
  const db = getDb();
  const { projectId, holderIds } = await seedLedger(units);
  const eventId = await insertEvent(projectId, amount);
  const totals: Totals = { tokens: units.reduce((a, b) => a + b, 0n), amount, percent: PERCENT };
  const searches = {
    amount: await searchCut(projectId, totals, 'amount', size, limits, gatherWhileWriting),
    percent: await searchCut(projectId, totals, 'percent', size, limits, gatherWhileWriting),
  };
  const cutOf = (s: CutSearch) => (s.phase === 'done' ? s.cut : null);
  const gatherOf = (s: CutSearch) => (s.phase === 'gather' ? { lo: s.lo, hi: s.hi, need: s.need } : null);
  const gathers = { amount: gatherOf(searches.amount), percent: gatherOf(searches.percent) };
  const gathered = { amount: { kind: 'gather' as const, best: [] as { holderId: string; remainder: bigint }[] }, percent: { kind: 'gather' as const, best: [] as { holderId: string; remainder: bigint }[] } };
  for (let after: string | null = FIRST_HOLDER; after !== null; ) {
    const chunk = await insertAllocations(db, scopeAt(projectId, after, size), totals, {
      eventId,
      cuts: { amount: cutOf(searches.amount), percent: cutOf(searches.percent) },
      gathers,
    });
    for (const dimension of ['amount', 'percent'] as const) {
      const gather = gathers[dimension];
      if (gather !== null) gathered[dimension] = addCandidates(gathered[dimension], chunk.candidates.get(dimension) ?? [], gather.need);
    }
    after = chunk.lastHolderId;
  }
  for (const dimension of ['amount', 'percent'] as const) {
    const gather = gathers[dimension];
    if (gather === null) continue;
    const winners = gathered[dimension].best.map((c) => c.holderId);
    expect(await addLeftoverUnits(db, eventId, dimension, winners)).toBe(Number(gather.need));
  }
  const { rows } = await sql<{ holder: string; tokens: string; amount: string; percent: string }>`
    SELECT lp_token_holder_id::text AS holder, lp_tokens_held::text AS tokens, allocated_amount::text AS amount, ownership_percentage::text AS percent
    FROM distribution_allocations WHERE distribution_event_id = ${eventId}::uuid`.execute(db);
  return { holderIds, rows };
}

/** The rows match the decimal reference model in both dimensions, one row per holder. */
async function expectReference(units: readonly bigint[], amount: bigint, size: number, limits: SearchLimits, gatherWhileWriting: boolean) {
  const { holderIds, rows } = await apportionInSql(units, amount, size, limits, gatherWhileWriting);
  const holdings = holderIds.map((holderId, i) => ({ holderId, balance: fromUnits(units[i] as bigint) }));
  const amounts = apportionReference(fromUnits(amount), holdings);
  const percents = apportionReference(new Decimal(100), holdings);
  expect(rows).toHaveLength(holderIds.length);
  for (const row of rows) {
    const i = holderIds.indexOf(row.holder);
    expect(row.tokens).toBe(fromUnits(units[i] as bigint).toFixed(7));
    expect(row.amount).toBe(amounts.get(row.holder)?.toFixed(7));
    expect(row.percent).toBe(percents.get(row.holder)?.toFixed(7));
  }
  return { holderIds, rows };
}

describe('the histogram statements', () => {
  // With 1 unit to apportion and Σ tokens above every balance, a holder's remainder is its balance
  // in units, so the remainders can be put anywhere: on each bucket's first and last value.
  it.each([
    { lo: 1n, width: 10n, buckets: 3 },
    { lo: 7n, width: 100n, buckets: 7 },
    // Where numeric division, rounded to about 16 significant digits, pushed a remainder into the next bucket.
    { lo: 1n, width: 10n ** 29n - 7n, buckets: 3 },
    { lo: 10n ** 28n + 3n, width: 3n * 10n ** 28n + 1n, buckets: 6 },
    // A first pass's band (apportionment.ts: firstPassSearch): one bucket either side, equal parts across it.
    { lo: 1n, width: 1000n, buckets: 5, band: { lo: 400n, hi: 433n } },
    { lo: 1n, width: 10n ** 29n - 7n, buckets: 7, band: { lo: 5n * 10n ** 28n - 3n * 10n ** 26n - 1n, hi: 5n * 10n ** 28n + 3n * 10n ** 26n + 7n } },
  ])('put every remainder of [$lo, $lo + $width) in the bucket whose bounds hold it ($buckets buckets, band $band)', async ({ lo, width, buckets, band }) => {
    // Prepare
    const hi = lo + width;
    const edges = Array.from({ length: buckets }, (_, k) => bucketBounds(k, lo, hi, buckets, band));
    const remainders = [...new Set(edges.flatMap((b) => [b.lo, b.hi - 1n]))].filter((r) => r >= lo && r < hi);
    const { projectId, holderIds } = await seedLedger(remainders);
    const totals: Totals = { tokens: 10n ** 31n, amount: 1n, percent: PERCENT };
    const request = { dimension: 'amount' as const, lo, hi, buckets, ...(band === undefined ? {} : { band }) };

    // Act: one holder a chunk, so each answer is one holder's bucket, from both statements that histogram
    const bucketOf = new Map<string, number[]>();
    for (let after: string | null = FIRST_HOLDER; after !== null; ) {
      const scope = scopeAt(projectId, after, 1);
      const first = await readFirstPass(getDb(), scope, totals, [request], 1);
      const later = await readHistograms(getDb(), scope, totals, [request], false);
      after = first.lastHolderId;
      if (after === null) break;
      const buckets = [first, later].map((chunk) => [...(chunk.histograms.get('amount')?.counts ?? new Map<number, bigint>()).keys()]);
      expect(buckets.map((b) => b.length)).toEqual([1, 1]);
      bucketOf.set(after, buckets.flat());
    }

    // Assess
    expect(bucketOf.size).toBe(remainders.length);
    for (const [i, holderId] of holderIds.entries()) {
      const remainder = remainders[i] as bigint;
      const expected = edges.findIndex((bounds) => remainder >= bounds.lo && remainder < bounds.hi);
      expect(bucketOf.get(holderId), `remainder ${remainder}`).toEqual([expected, expected]);
    }
  });
});

describe('largest remainder in SQL', () => {
  it('breaks ties by holder id ascending, across chunks and in a tie-walk', async () => {
    // Prepare: three equal balances, 100 units: one unit left over, for the least holder id
    const { holderIds, rows } = await expectReference([1n, 1n, 1n], 100n, 1, { buckets: 2, gatherLimit: 1n }, false);

    // Assess
    const least = [...holderIds].sort()[0];
    expect(rows.find((r) => r.holder === least)?.amount).toBe('0.0000034');
    expect(rows.filter((r) => r.amount === '0.0000033')).toHaveLength(2);
  });

  it('gives a lone holder everything', async () => {
    const { rows } = await expectReference([3n], 100n, 1, { buckets: 2, gatherLimit: 1n }, false);
    expect(rows.map((r) => [r.amount, r.percent])).toEqual([['0.0000100', '100.0000000']]);
  });

  it('gives the units left over where the remainders sit at a bucket edge', async () => {
    // Σ = 2·10^12 + 1 units; the small holder's remainder lies just below a bucket's end
    await expectReference([10n ** 12n, 10n ** 12n, 1n], 1n, 1, { buckets: 2, gatherLimit: 1n }, false);
    await expectReference([10n ** 12n, 10n ** 12n, 1n], 1n, 2, { buckets: 2, gatherLimit: 1n }, true);
  });

  it('gathers while writing by the remainder as a number, not as text', async () => {
    // Found by the property test (seed -1000840343): remainders of 12 and 11 digits in one chunk;
    // ordered as text, 65,726,752,593 came before 422,244,735,632 and took the unit.
    const units = [776_461_931_158n, 10_000_000n, 1n, 215_262_902_693n];
    await expectReference(units, 999_999_999_999_513n, 4, { buckets: 2, gatherLimit: 2n }, true);
    await expectReference(units, 999_999_999_999_513n, 4, { buckets: 2, gatherLimit: 2n }, false);
  });

  it('matches the decimal reference model for any chunking, search limits and gathering while writing', async () => {
    const units = fc.oneof(fc.constantFrom(1n, 2n, 3n, 7n, 10_000_000n), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 19n }));
    const holdings = fc.oneof(
      // every holder distinct
      fc.array(units, { minLength: 1, maxLength: 8 }),
      // everyone tied, or two groups of ties
      fc.tuple(units, units, fc.integer({ min: 1, max: 8 })).map(([a, b, n]) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? a : b))),
    );
    const amount = fc.oneof(fc.constantFrom(1n, 2n, 3n, 100n), fc.bigInt({ min: 1n, max: 10n ** 19n }));
    const limits = fc.record({ buckets: fc.integer({ min: 2, max: 8 }), gatherLimit: fc.bigInt({ min: 1n, max: 4n }) });
    await fc.assert(
      fc.asyncProperty(holdings, amount, fc.integer({ min: 1, max: 4 }), limits, fc.boolean(), async (hs, total, size, searchLimits, gather) => {
        await expectReference(hs, total, size, searchLimits, gather);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
