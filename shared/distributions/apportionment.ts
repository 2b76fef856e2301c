import { Decimal } from '../decimal';

/**
 * Exact pro-rata apportionment by largest remainder, computed in passes over holders in chunks.
 *
 * Everything is in integer units of 10^-7 (the columns' scale). For a holder with balance `b`
 * out of `S` in total, apportioning `T` units:
 *
 *   floor = ⌊T·b / S⌋, remainder = T·b mod S
 *
 * The `L = T − Σ floor` units left over (0 ≤ L < holders) go one each to the L holders with
 * the largest remainders, ties broken by holder id ascending. Every share is then within one
 * unit of the exact share and the shares sum to T exactly.
 *
 * Rather than sort all remainders (memory that grows with holders) or write rows twice (once
 * floored, once topped up), the calculation first finds the cut: the L-th holder in
 * (remainder desc, holder id asc) order. A holder gets the extra unit iff it sorts at or before
 * the cut, so every allocation row is written once, already final. The cut is found by
 * narrowing a remainder interval with histograms (bounded memory), then gathering the few
 * candidates left, or, when they all share one remainder, walking them in holder order.
 */

/** The last holder to receive an extra unit: (remainder desc, holder id asc) order. */
export interface Cut {
  remainder: bigint;
  holderId: string;
}

/** Whether a holder with this remainder receives an extra unit under `cut` (null: nobody does). */
export function receivesExtraUnit(cut: Cut | null, remainder: bigint, holderId: string): boolean {
  if (cut === null) return false;
  return remainder > cut.remainder || (remainder === cut.remainder && holderId <= cut.holderId);
}

export interface HistogramBucket {
  count: bigint;
  min: bigint;
  max: bigint;
}

/**
 * Where the search for one dimension's cut stands.
 * - `histogram`: the cut's remainder is in [lo, hi); `above` holders have remainders ≥ hi and all
 *   receive an extra unit; `need` more are to be chosen inside the interval.
 * - `gather`: few enough holders are left in [lo, hi) to collect and sort them.
 * - `tie-walk`: all remaining candidates share `remainder`; the `need`-th in holder order is the cut.
 * - `done`: the cut is known (null when no unit is left over).
 */
export type CutSearch =
  | { phase: 'histogram'; lo: bigint; hi: bigint; need: bigint }
  | { phase: 'gather'; lo: bigint; hi: bigint; need: bigint }
  | { phase: 'tie-walk'; remainder: bigint; need: bigint }
  | { phase: 'done'; cut: Cut | null };

export interface SearchLimits {
  /** Buckets per histogram pass. */
  buckets: bigint;
  /** Candidates at most this many are gathered and sorted in memory. */
  gatherLimit: bigint;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { buckets: 65_536n, gatherLimit: 20_000n };

/** Which of `buckets` equal parts of [lo, hi) a remainder falls in (the SQL computes the same). */
export function bucketOf(remainder: bigint, lo: bigint, hi: bigint, buckets: bigint): bigint {
  return ((remainder - lo) * buckets) / (hi - lo);
}

/** The search's start once Σ floor is known: `leftover` units to give within [0, total). */
export function startCutSearch(leftover: bigint, total: bigint): CutSearch {
  if (leftover === 0n) return { phase: 'done', cut: null };
  return { phase: 'histogram', lo: 0n, hi: total, need: leftover };
}

/**
 * Narrows a histogram search with the histogram of remainders in [lo, hi): finds the bucket
 * holding the `need`-th largest, and decides how to continue inside it.
 */
export function narrow(
  search: Extract<CutSearch, { phase: 'histogram' }>,
  histogram: ReadonlyMap<bigint, HistogramBucket>,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
): CutSearch {
  let need = search.need;
  const buckets = [...histogram.entries()].sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0));
  for (const [, bucket] of buckets) {
    if (bucket.count < need) {
      need -= bucket.count;
      continue;
    }
    if (bucket.min === bucket.max) return { phase: 'tie-walk', remainder: bucket.min, need };
    const interval = { lo: bucket.min, hi: bucket.max + 1n, need };
    return bucket.count <= limits.gatherLimit ? { phase: 'gather', ...interval } : { phase: 'histogram', ...interval };
  }
  throw new Error(`cut search lost: fewer than ${search.need} remainders in [${search.lo}, ${search.hi})`);
}

/** Picks the cut from every candidate in the gathered interval. */
export function cutFromCandidates(
  search: Extract<CutSearch, { phase: 'gather' }>,
  candidates: readonly Cut[],
): CutSearch {
  const ordered = [...candidates].sort((a, b) =>
    a.remainder !== b.remainder ? (a.remainder > b.remainder ? -1 : 1) : a.holderId < b.holderId ? -1 : a.holderId > b.holderId ? 1 : 0,
  );
  const cut = ordered[Number(search.need) - 1];
  if (cut === undefined) throw new Error(`cut search lost: ${candidates.length} candidates, need ${search.need}`);
  return { phase: 'done', cut };
}

/** Adds one holder-ordered chunk of holders tied at the remainder; done once the need-th is seen. */
export function walkTies(
  search: Extract<CutSearch, { phase: 'tie-walk' }>,
  tiedHolderIds: readonly string[],
): CutSearch {
  if (BigInt(tiedHolderIds.length) < search.need) {
    return { ...search, need: search.need - BigInt(tiedHolderIds.length) };
  }
  const holderId = tiedHolderIds[Number(search.need) - 1] as string;
  return { phase: 'done', cut: { remainder: search.remainder, holderId } };
}

/** Decimal amount ↔ integer units of 10^-scale. */
export const toUnits = (value: Decimal | string, scale = 7): bigint =>
  BigInt(new Decimal(value).times(new Decimal(10).pow(scale)).toFixed(0));
export const fromUnits = (units: bigint, scale = 7): Decimal => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale));

export interface Holding {
  holderId: string;
  balance: Decimal;
}

/**
 * Reference model: the same rule stated directly in decimals, with everything in memory.
 * Property tests hold the chunked calculation to it; production never calls it.
 *
 * It works in integer units so that remainders compare exactly: a quotient like 5/15 truncated
 * at decimal.js's precision keeps more digits in a smaller share, which would break exact ties.
 */
export function apportionReference(total: Decimal, holdings: readonly Holding[], scale = 7): Map<string, Decimal> {
  const unit = new Decimal(10).pow(scale);
  const totalUnits = total.times(unit);
  const tokenUnits = holdings.reduce((acc, h) => acc.plus(h.balance.times(unit)), new Decimal(0));
  const shares = holdings.map((h) => {
    const product = totalUnits.times(h.balance.times(unit));
    return { holderId: h.holderId, floor: product.dividedToIntegerBy(tokenUnits), remainder: product.mod(tokenUnits) };
  });
  let leftover = totalUnits.minus(shares.reduce((acc, s) => acc.plus(s.floor), new Decimal(0))).toNumber();
  const byRemainder = [...shares].sort((a, b) => {
    const byRemainderDesc = b.remainder.comparedTo(a.remainder);
    return byRemainderDesc !== 0 ? byRemainderDesc : a.holderId < b.holderId ? -1 : 1;
  });
  const result = new Map(shares.map((s) => [s.holderId, s.floor.dividedBy(unit)]));
  for (const s of byRemainder) {
    if (leftover-- <= 0) break;
    result.set(s.holderId, s.floor.plus(1).dividedBy(unit));
  }
  return result;
}
