import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../shared/decimal';
import {
  apportionReference,
  bucketOf,
  type Cut,
  type CutSearch,
  cutFromCandidates,
  fromUnits,
  type HistogramBucket,
  narrow,
  receivesExtraUnit,
  type SearchLimits,
  startCutSearch,
  walkTies,
} from '../../shared/distributions/apportionment';

interface Holding {
  holderId: string;
  units: bigint;
}

/**
 * The calculation's passes, with what the SQL computes per chunk computed here instead, over
 * holders in id order in chunks of `chunkSize`. Production's pure search functions decide.
 */
function apportionInPasses(total: bigint, holdings: Holding[], chunkSize: number, limits: SearchLimits): Map<string, bigint> {
  const sorted = [...holdings].sort((a, b) => (a.holderId < b.holderId ? -1 : 1));
  const tokens = sorted.reduce((sum, h) => sum + h.units, 0n);
  const chunks: Holding[][] = [];
  for (let i = 0; i < sorted.length; i += chunkSize) chunks.push(sorted.slice(i, i + chunkSize));
  const remainderOf = (h: Holding) => (total * h.units) % tokens;

  let floorSum = 0n;
  let search: CutSearch = { phase: 'histogram', lo: 0n, hi: tokens, need: 0n };
  let first = true;
  let passes = 0;
  while (search.phase !== 'done') {
    if (++passes > 100) throw new Error('the cut search does not converge');
    const histogram = new Map<bigint, HistogramBucket>();
    const gathered: Cut[] = [];
    for (const chunk of chunks) {
      for (const h of chunk) {
        const remainder = remainderOf(h);
        if (first) floorSum += (total * h.units) / tokens;
        if (search.phase === 'histogram' && remainder >= search.lo && remainder < search.hi) {
          const bucket = bucketOf(remainder, search.lo, search.hi, limits.buckets);
          const seen = histogram.get(bucket);
          histogram.set(bucket, {
            count: (seen?.count ?? 0n) + 1n,
            min: seen === undefined || remainder < seen.min ? remainder : seen.min,
            max: seen === undefined || remainder > seen.max ? remainder : seen.max,
          });
        }
        if (search.phase === 'gather' && remainder >= search.lo && remainder < search.hi) gathered.push({ holderId: h.holderId, remainder });
      }
      if (search.phase === 'tie-walk') {
        const tied = search.remainder;
        search = walkTies(search, chunk.filter((h) => remainderOf(h) === tied).map((h) => h.holderId));
        if (search.phase === 'done') break;
      }
    }
    if (first) {
      const start = startCutSearch(total - floorSum, tokens);
      search = start.phase === 'histogram' ? narrow(start, histogram, limits) : start;
      first = false;
    } else if (search.phase === 'histogram') search = narrow(search, histogram, limits);
    else if (search.phase === 'gather') search = cutFromCandidates(search, gathered);
  }
  const cut = search.cut;
  return new Map(
    sorted.map((h) => [h.holderId, (total * h.units) / tokens + (receivesExtraUnit(cut, remainderOf(h), h.holderId) ? 1n : 0n)]),
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
const limits = fc.record({ buckets: fc.bigInt({ min: 2n, max: 16n }), gatherLimit: fc.bigInt({ min: 1n, max: 8n }) });

describe('largest-remainder apportionment in passes', () => {
  it('matches the decimal reference model exactly, for any chunking and search limits', () => {
    fc.assert(
      fc.property(total, holdings, fc.integer({ min: 1, max: 7 }), limits, (amount, hs, chunkSize, searchLimits) => {
        // Act
        const shares = apportionInPasses(amount, hs, chunkSize, searchLimits);

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
        const shares = apportionInPasses(amount, hs, 5, { buckets: 4n, gatherLimit: 2n });
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
    expect(apportionInPasses(100n, [only], 1, { buckets: 2n, gatherLimit: 1n })).toEqual(new Map([[only.holderId, 100n]]));
  });

  it('breaks ties by holder id ascending', () => {
    const ids = ['00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const shares = apportionInPasses(100n, ids.map((holderId) => ({ holderId, units: 1n })), 2, { buckets: 2n, gatherLimit: 1n });
    expect(shares.get(ids[1] as string)).toBe(34n);
    expect(shares.get(ids[2] as string)).toBe(33n);
    expect(shares.get(ids[0] as string)).toBe(33n);
  });
});
