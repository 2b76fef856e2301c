import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../shared/decimal';
import {
  addCandidates,
  addHistogram,
  apportionReference,
  type Band,
  bucketBounds,
  byPriority,
  type Cut,
  type CutSearch,
  cutFromCandidates,
  emptyTally,
  everything,
  firstPassSearch,
  fromUnits,
  narrow,
  type SearchLimits,
  startCutSearch,
  type Tally,
  walkTies,
} from '../../shared/distributions/calculation/apportionment';

/** The bucket of bucketBounds that holds the remainder. */
function bucketIndex(remainder: bigint, lo: bigint, hi: bigint, buckets: number, band?: Band): number {
  const k = Array.from({ length: buckets }, (_, i) => bucketBounds(i, lo, hi, buckets, band)).findIndex((b) => remainder >= b.lo && remainder < b.hi);
  if (k < 0) throw new Error(`remainder ${remainder} outside [${lo}, ${hi})`);
  return k;
}

interface Holding {
  holderId: string;
  units: bigint;
}

/**
 * The calculation's passes over holders in id order in chunks of `chunkSize`, with what a
 * statement answers per chunk modelled here from the rule the search relies on (the buckets of
 * bucketBounds, the (remainder desc, holder id asc) order of byPriority), so that production's
 * pure search functions can be driven through thousands of cases. Every tally goes through a
 * copy, as it does through the persisted state between steps. That the SQL answers the same is
 * tests/integration/apportionment-sql.test.ts.
 */
function apportionInPasses(total: bigint, holdings: Holding[], chunkSize: number, limits: SearchLimits, holdersEstimate: number | null = null): Map<string, bigint> {
  const sorted = [...holdings].sort((a, b) => (a.holderId < b.holderId ? -1 : 1));
  const tokens = sorted.reduce((sum, h) => sum + h.units, 0n);
  const chunks: Holding[][] = [];
  for (let i = 0; i < sorted.length; i += chunkSize) chunks.push(sorted.slice(i, i + chunkSize));
  const remainderOf = (h: Holding) => (total * h.units) % tokens;
  const byHolder = (a: Holding, b: Holding) => (a.holderId < b.holderId ? -1 : 1);

  let floorSum: bigint | null = 0n;
  const firstPass = firstPassSearch(tokens, holdersEstimate, limits);
  let search: CutSearch = firstPass;
  let passes = 0;
  while (search.phase !== 'done') {
    if (++passes > 200) throw new Error('the cut search does not converge');
    let tally: Tally | null = emptyTally(search, limits);
    for (const chunk of chunks) {
      if (search.phase === 'histogram' && tally?.kind === 'histogram') {
        const { lo, hi } = search;
        const inside = chunk.map(remainderOf).filter((r) => r >= lo && r < hi);
        const counts = new Map<number, bigint>();
        for (const r of inside) {
          const bucket = bucketIndex(r, lo, hi, tally.counts.length, search.band);
          counts.set(bucket, (counts.get(bucket) ?? 0n) + 1n);
        }
        const min = inside.length === 0 ? null : inside.reduce((a, b) => (a < b ? a : b));
        const max = inside.length === 0 ? null : inside.reduce((a, b) => (a > b ? a : b));
        tally = structuredClone(addHistogram(tally, { counts, min, max }));
        if (floorSum !== null) floorSum += chunk.reduce((sum, h) => sum + (total * h.units) / tokens, 0n);
      } else if (search.phase === 'gather' && tally?.kind === 'gather') {
        const { lo, hi, need } = search;
        const found: Cut[] = chunk
          .map((h) => ({ holderId: h.holderId, remainder: remainderOf(h) }))
          .filter((c) => c.remainder >= lo && c.remainder < hi);
        tally = structuredClone(addCandidates(tally, found, need));
      } else if (search.phase === 'tie-walk' && tally?.kind === 'tie-walk') {
        const tied = chunk.filter((h) => remainderOf(h) === (search as { remainder: bigint }).remainder).sort(byHolder);
        const nth = tied[Number(search.need - tally.seen) - 1]?.holderId ?? null;
        const walked = walkTies(search, tally, { tied: BigInt(tied.length), nth });
        search = walked.search;
        tally = walked.tally;
        if (search.phase === 'done') break;
      }
    }
    if (floorSum !== null) {
      const start = startCutSearch(total - floorSum, firstPass);
      search = start.phase === 'histogram' && tally?.kind === 'histogram' ? narrow(start, tally, limits) : start;
      floorSum = null;
    } else if (search.phase === 'histogram' && tally?.kind === 'histogram') search = narrow(search, tally, limits);
    else if (search.phase === 'gather' && tally?.kind === 'gather') search = cutFromCandidates(search, tally);
  }
  const cut = search.cut;
  return new Map(
    sorted.map((h) => {
      const receivesExtraUnit = cut !== null && byPriority({ holderId: h.holderId, remainder: remainderOf(h) }, cut) <= 0;
      return [h.holderId, (total * h.units) / tokens + (receivesExtraUnit ? 1n : 0n)];
    }),
  );
}

const holderIds = fc.uuid({ version: 4 });
const units = fc.oneof(
  fc.constantFrom(1n, 2n, 3n, 7n, 10_000_000n),
  fc.bigInt({ min: 1n, max: 10n ** 9n }),
  fc.bigInt({ min: 1n, max: 10n ** 27n }),
);
const holdings = fc
  .uniqueArray(holderIds, { minLength: 1, maxLength: 40 })
  .chain((ids) =>
    fc.oneof(
      // every holder distinct
      fc.tuple(...ids.map(() => units)).map((balances) => ids.map((holderId, i) => ({ holderId, units: balances[i] as bigint }))),
      // everyone tied, or two groups of ties
      fc.tuple(units, units).map(([a, b]) => ids.map((holderId, i) => ({ holderId, units: i % 3 === 0 ? a : b }))),
    ),
  );
const total = fc.oneof(fc.constantFrom(1n, 2n, 3n, 100n), fc.bigInt({ min: 1n, max: 10n ** 20n }));
const limits = fc.record({ buckets: fc.integer({ min: 2, max: 16 }), gatherLimit: fc.bigInt({ min: 1n, max: 8n }) });
/** What the first pass is told of the holders: nothing, or any count, so that its band is anywhere from none to a sliver of [0, S). */
const holdersEstimate = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 10 ** 9 }));

describe('largest-remainder apportionment in passes', () => {
  it('matches the decimal reference model exactly, for any chunking, search limits and first-pass band', () => {
    fc.assert(
      fc.property(total, holdings, fc.integer({ min: 1, max: 7 }), limits, holdersEstimate, (amount, hs, chunkSize, searchLimits, estimate) => {
        // Act
        const shares = apportionInPasses(amount, hs, chunkSize, searchLimits, estimate);

        // Assess
        const reference = apportionReference(
          fromUnits(amount),
          hs.map((h) => ({ holderId: h.holderId, balance: fromUnits(h.units) })),
        );
        for (const h of hs) expect(fromUnits(shares.get(h.holderId) ?? -1n).toFixed(7)).toBe(reference.get(h.holderId)?.toFixed(7));
        expect([...shares.values()].reduce((a, b) => a + b, 0n)).toBe(amount);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps every share within one unit of the exact share', () => {
    fc.assert(
      fc.property(total, holdings, (amount, hs) => {
        const shares = apportionInPasses(amount, hs, 5, { buckets: 4, gatherLimit: 2n });
        const tokens = hs.reduce((sum, h) => sum + h.units, 0n);
        for (const h of hs) {
          const exact = new Decimal(amount.toString()).times(h.units.toString()).dividedBy(tokens.toString());
          const share = new Decimal((shares.get(h.holderId) ?? 0n).toString());
          expect(share.minus(exact).abs().lessThan(1)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives a lone holder everything', () => {
    const only = { holderId: '00000000-0000-4000-8000-000000000001', units: 3n };
    expect(apportionInPasses(100n, [only], 1, { buckets: 2, gatherLimit: 1n })).toEqual(new Map([[only.holderId, 100n]]));
  });

  it('breaks ties by holder id ascending', () => {
    const ids = ['00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const shares = apportionInPasses(100n, ids.map((holderId) => ({ holderId, units: 1n })), 2, { buckets: 2, gatherLimit: 1n });
    expect(shares.get(ids[1] as string)).toBe(34n);
    expect(shares.get(ids[2] as string)).toBe(33n);
    expect(shares.get(ids[0] as string)).toBe(33n);
  });
});

describe('histogram buckets', () => {
  it('partition [lo, hi): contiguous, in order, the first from lo and the last to hi', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 1, max: 3000 }), (lo, width, buckets) => {
        const hi = lo + width;
        const probes = [0, 1, Math.floor(buckets / 2), buckets - 2, buckets - 1].filter((k) => k >= 0 && k < buckets);
        for (const k of probes) {
          const bounds = bucketBounds(k, lo, hi, buckets);
          expect(bounds.lo <= bounds.hi).toBe(true);
          if (k + 1 < buckets) expect(bucketBounds(k + 1, lo, hi, buckets).lo).toBe(bounds.hi);
        }
        expect(bucketBounds(0, lo, hi, buckets).lo).toBe(lo);
        expect(bucketBounds(buckets - 1, lo, hi, buckets).hi).toBe(hi);
      }),
      { numRuns: 2_000 },
    );
  });

  it('with a band, partition [lo, hi) the same way: one part below it, its equal parts, one above it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 3, max: 300 }),
        (lo, below, bandWidth, above, buckets) => {
          const band = { lo: lo + below, hi: lo + below + bandWidth };
          const hi = band.hi + above;
          const bounds = Array.from({ length: buckets }, (_, k) => bucketBounds(k, lo, hi, buckets, band));
          expect(bounds[0]).toEqual({ lo, hi: band.lo });
          expect(bounds.at(-1)).toEqual({ lo: band.hi, hi });
          for (let k = 1; k < buckets; k += 1) expect(bounds[k]?.lo).toBe(bounds[k - 1]?.hi);
          for (let k = 1; k < buckets - 1; k += 1) expect(bounds[k]).toEqual(bucketBounds(k - 1, band.lo, band.hi, buckets - 2));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('narrows to a tie-walk once the chosen bucket holds a single remainder', () => {
    const search = { phase: 'histogram' as const, lo: 0n, hi: 100n, need: 3n };
    const tally: Tally = { kind: 'histogram', counts: [0n, 0n, 5n, 1n], min: 51n, max: 77n };
    // buckets of 25: [75, 100) holds one (77), so the 3rd largest is the 2nd of [50, 75), from 51 up
    expect(narrow(search, tally, { buckets: 4, gatherLimit: 1n })).toEqual({ phase: 'histogram', lo: 51n, hi: 75n, need: 2n });
    expect(narrow(search, tally, { buckets: 4, gatherLimit: 2n })).toEqual({ phase: 'gather', lo: 51n, hi: 75n, need: 2n });
    const single: Tally = { kind: 'histogram', counts: [0n, 0n, 5n, 0n], min: 60n, max: 60n };
    expect(narrow(search, single, { buckets: 4, gatherLimit: 1n })).toEqual({ phase: 'tie-walk', remainder: 60n, need: 3n });
  });
});

describe('the first pass', () => {
  const S = 4_500_017_320_732_799_996n;
  const limits: SearchLimits = { buckets: 924, gatherLimit: 179n };

  it('puts its buckets on a band of ±6·S/√n around S/2 when equal ones would leave the cut too many to gather', () => {
    // 1,000,000 holders: equal buckets hold ~1,082 each, over the 179 a gather keeps
    expect(firstPassSearch(S, 1_000_000, limits)).toEqual({
      ...everything(S),
      band: { lo: S / 2n - (S * 6n) / 1000n, hi: S / 2n + (S * 6n) / 1000n },
    });
  });

  it('keeps equal buckets when they gather already, when it knows nothing of the holders, or when a band would cover it all', () => {
    expect(firstPassSearch(S, 924 * 179, limits)).toEqual(everything(S));
    expect(firstPassSearch(S, null, limits)).toEqual(everything(S));
    expect(firstPassSearch(S, 1_000_000, { buckets: 2, gatherLimit: 1n })).toEqual(everything(S));
    expect(firstPassSearch(S, 100, { buckets: 4, gatherLimit: 1n })).toEqual(everything(S)); // ±60 % of S
    expect(firstPassSearch(S, 200, { buckets: 4, gatherLimit: 1n }).band).toBeDefined(); // ±42 %
  });

  it('carries its band into the search that starts once the floors are summed, and narrows within it', () => {
    const first = firstPassSearch(1_000_000n, 10_000, { buckets: 6, gatherLimit: 1n }); // band [440,000, 560,000), 4 parts of 30,000
    const search = startCutSearch(5n, first);
    expect(search).toEqual({ ...first, need: 5n });
    const tally: Tally = { kind: 'histogram', counts: [10n, 0n, 0n, 4n, 3n, 20n], min: 0n, max: 999_999n };
    // 20 above the band: the 5th largest is among them, too many to gather …
    expect(narrow(search as Extract<CutSearch, { phase: 'histogram' }>, tally, { buckets: 6, gatherLimit: 4n })).toEqual({
      phase: 'histogram',
      lo: 560_000n,
      hi: 1_000_000n,
      need: 5n,
    });
    // … the 22nd is the 2nd of the band's last part, [530,000, 560,000)
    const inBand = startCutSearch(22n, first) as Extract<CutSearch, { phase: 'histogram' }>;
    expect(narrow(inBand, tally, { buckets: 6, gatherLimit: 4n })).toEqual({ phase: 'gather', lo: 530_000n, hi: 560_000n, need: 2n });
  });
});
