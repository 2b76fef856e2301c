import { Decimal } from '../../decimal';

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
 * narrowing a remainder interval with histograms, then gathering the `need` largest candidates
 * once few enough are needed, or, when all left share one remainder, walking them in holder
 * order. What a pass keeps (its tally) is bounded by the search limits, never by the holders,
 * so it can be persisted after every chunk and a pass resumed where it stopped.
 */

/** Apportionment parameters, integers in units of 10^-7. */
export interface Totals {
  /** Σ balances. */
  tokens: bigint;
  /** The amount to distribute. */
  amount: bigint;
  /** 100 %, i.e. 10^9 units of 10^-7 %. */
  percent: bigint;
}

export type Dimension = 'amount' | 'percent';

/** The last holder to receive an extra unit: (remainder desc, holder id asc) order. */
export interface Cut {
  remainder: bigint;
  holderId: string;
}

/**
 * Where a first pass puts most of its buckets, around the expected cut (firstPassSearch): one
 * bucket below `lo`, one at or above `hi`, and all the others of equal width across [lo, hi).
 */
export interface Band {
  lo: bigint;
  hi: bigint;
}

/**
 * Where the search for one dimension's cut stands.
 * - `histogram`: the cut's remainder is in [lo, hi), and it is the `need`-th largest there; with
 *   `band` (a first pass only), its buckets are not of equal width: bucketBounds.
 * - `gather`: `need` is small enough to collect the `need` largest of [lo, hi) (bounded memory).
 * - `tie-walk`: every holder left shares `remainder`; the `need`-th in holder order is the cut.
 * - `done`: the cut is known (null when no unit is left over).
 */
export type CutSearch =
  | { phase: 'histogram'; lo: bigint; hi: bigint; need: bigint; band?: Band }
  | { phase: 'gather'; lo: bigint; hi: bigint; need: bigint }
  | { phase: 'tie-walk'; remainder: bigint; need: bigint }
  | { phase: 'done'; cut: Cut | null };

export interface SearchLimits {
  /** Buckets per histogram pass. */
  buckets: number;
  /** The most candidates a gather pass keeps: it gathers only when `need` is at most this. */
  gatherLimit: bigint;
}

/**
 * What a pass has seen so far for one dimension's search, in the form it is persisted between
 * invocations: bounded by the search limits, never by the number of holders.
 * - `histogram`: holders per bucket of [lo, hi), and the least and greatest remainder seen there.
 * - `gather`: the `need` largest candidates so far, in (remainder desc, holder id asc) order.
 * - `tie-walk`: how many holders tied at the remainder came before the current chunk.
 */
export type Tally =
  | { kind: 'histogram'; counts: bigint[]; min: bigint | null; max: bigint | null }
  | { kind: 'gather'; best: Cut[] }
  | { kind: 'tie-walk'; seen: bigint };

/**
 * The remainders that fall in bucket `k`: [lo + ⌈k·w/B⌉, lo + ⌈(k+1)·w/B⌉) for w = hi − lo, the
 * same parts as the SQL's ⌊(r − lo)·B / w⌋ (tests/integration/apportionment-sql.test.ts). With a
 * band, bucket 0 is [lo, band.lo), bucket B − 1 is [band.hi, hi), and the B − 2 between are the
 * equal parts of the band.
 */
export function bucketBounds(k: number, lo: bigint, hi: bigint, buckets: number, band?: Band): { lo: bigint; hi: bigint } {
  if (band !== undefined) {
    if (k === 0) return { lo, hi: band.lo };
    if (k === buckets - 1) return { lo: band.hi, hi };
    return bucketBounds(k - 1, band.lo, band.hi, buckets - 2);
  }
  const width = hi - lo;
  const B = BigInt(buckets);
  const ceil = (n: bigint) => (n + B - 1n) / B;
  return { lo: lo + ceil(BigInt(k) * width), hi: lo + ceil(BigInt(k + 1) * width) };
}

/** The first pass histograms every remainder; its `need` is known only once it has summed the floors. */
export const everything = (tokens: bigint): Extract<CutSearch, { phase: 'histogram' }> => ({ phase: 'histogram', lo: 0n, hi: tokens, need: 0n });

/**
 * How wide the band is on either side of S/2, in standard deviations of where the cut falls
 * (about 0.58·S/√n for evenly spread remainders: both the units left over, Σ remainders / S, and
 * the count above a point vary by about √n): the cut is outside it about never for such holdings.
 */
const BAND_HALF_WIDTH_PER_ROOT_HOLDER = 6;

/**
 * The first pass's search for a calculation of about `holders` holders. The remainders T·b mod S
 * of real holdings spread evenly over [0, S), and then the cut sits within a few S/√n of S/2.
 * When equal buckets would leave the cut's bucket more holders than a gather keeps (holders >
 * buckets × gather limit: 924 × 179 at a million holders, which took a second histogram pass),
 * the first pass puts all but two of its buckets on a band of ±6·S/√n around S/2, where each
 * holds about 12·√n / (buckets − 2) holders (13 at a million), few enough to gather while
 * writing. Holdings whose cut falls outside the band (ties, skewed balances) take the next pass
 * in the outer bucket as before: the band changes how fast the cut is found, never which it is.
 */
export function firstPassSearch(tokens: bigint, holders: number | null, limits: SearchLimits): Extract<CutSearch, { phase: 'histogram' }> {
  const search = everything(tokens);
  if (holders === null || limits.buckets < 3 || BigInt(holders) <= BigInt(limits.buckets) * limits.gatherLimit) return search;
  const halfWidth = (tokens * BigInt(BAND_HALF_WIDTH_PER_ROOT_HOLDER * 1000)) / BigInt(Math.round(Math.sqrt(holders) * 1000));
  const middle = tokens / 2n;
  const band = { lo: middle - halfWidth, hi: middle + halfWidth };
  return band.lo > 0n && band.hi < tokens ? { ...search, band } : search;
}

/** An empty tally for a pass of this search. */
export function emptyTally(search: CutSearch, limits: SearchLimits): Tally | null {
  switch (search.phase) {
    case 'histogram':
      return { kind: 'histogram', counts: Array.from({ length: limits.buckets }, () => 0n), min: null, max: null };
    case 'gather':
      return { kind: 'gather', best: [] };
    case 'tie-walk':
      return { kind: 'tie-walk', seen: 0n };
    case 'done':
      return null;
  }
}

/** Adds one chunk's histogram (counts by bucket, least and greatest remainder) to a tally. */
export function addHistogram(
  tally: Extract<Tally, { kind: 'histogram' }>,
  chunk: { counts: ReadonlyMap<number, bigint>; min: bigint | null; max: bigint | null },
): Extract<Tally, { kind: 'histogram' }> {
  const counts = [...tally.counts];
  for (const [bucket, count] of chunk.counts) {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= counts.length) throw new Error(`bucket ${bucket} is outside the histogram's ${counts.length}`);
    counts[bucket] = (counts[bucket] ?? 0n) + count;
  }
  const least = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  const greatest = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : a > b ? a : b);
  return { kind: 'histogram', counts, min: least(tally.min, chunk.min), max: greatest(tally.max, chunk.max) };
}

/** (remainder desc, holder id asc): the order in which holders receive the units left over. */
export const byPriority = (a: Cut, b: Cut): number =>
  a.remainder !== b.remainder ? (a.remainder > b.remainder ? -1 : 1) : a.holderId < b.holderId ? -1 : a.holderId > b.holderId ? 1 : 0;

/** Keeps the `need` first candidates of the tally and a chunk's, in priority order. */
export function addCandidates(tally: Extract<Tally, { kind: 'gather' }>, found: readonly Cut[], need: bigint): Extract<Tally, { kind: 'gather' }> {
  return { kind: 'gather', best: [...tally.best, ...found].sort(byPriority).slice(0, Number(need)) };
}

/** The search once its first pass has summed the floors: `leftover` units to give among what it histogrammed. */
export function startCutSearch(leftover: bigint, firstPass: Extract<CutSearch, { phase: 'histogram' }>): CutSearch {
  if (leftover === 0n) return { phase: 'done', cut: null };
  return { ...firstPass, need: leftover };
}

/**
 * Narrows a histogram search once its pass is complete: finds the bucket holding the `need`-th
 * largest remainder and decides how to continue inside it, never outside what the pass saw
 * (its least and greatest remainder).
 */
export function narrow(
  search: Extract<CutSearch, { phase: 'histogram' }>,
  tally: Extract<Tally, { kind: 'histogram' }>,
  limits: SearchLimits,
): CutSearch {
  let need = search.need;
  const buckets = tally.counts.length;
  for (let k = buckets - 1; k >= 0; k -= 1) {
    const count = tally.counts[k] ?? 0n;
    if (count < need) {
      need -= count;
      continue;
    }
    const bounds = bucketBounds(k, search.lo, search.hi, buckets, search.band);
    const lo = tally.min !== null && tally.min > bounds.lo ? tally.min : bounds.lo;
    const hi = tally.max !== null && tally.max + 1n < bounds.hi ? tally.max + 1n : bounds.hi;
    if (hi - lo === 1n) return { phase: 'tie-walk', remainder: lo, need };
    return need <= limits.gatherLimit ? { phase: 'gather', lo, hi, need } : { phase: 'histogram', lo, hi, need };
  }
  throw new Error(`cut search lost: fewer than ${search.need} remainders in [${search.lo}, ${search.hi})`);
}

/** Picks the cut once a gather pass is complete. */
export function cutFromCandidates(search: Extract<CutSearch, { phase: 'gather' }>, tally: Extract<Tally, { kind: 'gather' }>): CutSearch {
  const cut = tally.best[Number(search.need) - 1];
  if (cut === undefined) throw new Error(`cut search lost: ${tally.best.length} candidates, need ${search.need}`);
  return { phase: 'done', cut };
}

/**
 * Adds one holder-ordered chunk of a tie-walk: `tied` holders of the chunk share the remainder,
 * and `nth` is the (need − seen)-th of them in holder order when the chunk has that many.
 */
export function walkTies(
  search: Extract<CutSearch, { phase: 'tie-walk' }>,
  tally: Extract<Tally, { kind: 'tie-walk' }>,
  chunk: { tied: bigint; nth: string | null },
): { search: CutSearch; tally: Tally | null } {
  if (tally.seen + chunk.tied < search.need) return { search, tally: { kind: 'tie-walk', seen: tally.seen + chunk.tied } };
  if (chunk.nth === null) throw new Error(`tie-walk lost: ${chunk.tied} tied in the chunk but no holder at ${search.need - tally.seen}`);
  return { search: { phase: 'done', cut: { remainder: search.remainder, holderId: chunk.nth } }, tally: null };
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
