import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/client';
import { jsonb, numeric, timestamptz, uuid } from '../../db/sql-values';
import type { Decimal } from '../../decimal';
import type { Band, Cut, Dimension, Totals } from './apportionment';
import type { ResultColumn } from '../../db/result-size';
import { DISTRIBUTION_AMOUNT, LP_TOKENS, OWNERSHIP_PERCENTAGE, sqlType } from '../../quantities';

/**
 * SQL for the allocation calculation. Every statement that reads holders (all but tokensAsOf,
 * addLeftoverUnits and the event's bookkeeping: findCalculationEvent to failCalculatingEvent) covers
 * one chunk of them, in holder id order after a cursor, with their balances as of the record date
 * (chunkBalances), and answers with the last holder it scanned so the next chunk starts after it
 * (null once none is left: lastHolderOf). Each statement that answers with rows declares their
 * columns (`…Columns`), from which calculation-limits.ts sizes it under the Data API's response limit.
 */

/** Sorts before every UUID: the cursor of the first chunk. */
export const FIRST_HOLDER = '00000000-0000-0000-0000-000000000000';

export interface ChunkScope {
  projectId: string;
  recordDate: Date;
  /** Last holder id of the previous chunk. */
  after: string;
  size: number;
}

/**
 * `chunk`: the balances as of the record date of the next `size` holders in holder order, each
 * its current balance less what moved to or from it after the record date; `holders`: those
 * with a positive balance, in integer units.
 *
 * Exact because the books are closed up to the record date while the event calculates (no
 * movement at or before it can be recorded: record-movement.ts) and every movement changes
 * lp_token_balances in its own transaction (ledger.repository.ts adjustBalance): within one
 * statement's snapshot, current − Σ later movements is the ledger's balance as of the record
 * date, whatever is recorded between statements. The first pass checks Σ of these balances
 * against tokensAsOf, the ledger's own aggregate, which catches a balances table out of step.
 */
export function chunkBalances(scope: ChunkScope) {
  const project = uuid(scope.projectId);
  const asOf = timestamptz(scope.recordDate);
  const after = uuid(scope.after);
  return sql`
    chunk AS (
      SELECT b.lp_token_holder_id AS holder_id, b.lp_tokens_allocated - coalesce(later.delta, 0) AS balance
      FROM lp_token_balances b
      LEFT JOIN (
        SELECT holder_id, sum(delta) AS delta FROM (
          SELECT to_holder_id AS holder_id, amount AS delta FROM lp_token_movements
          WHERE project_id = ${project} AND effective_at > ${asOf} AND to_holder_id > ${after}
          UNION ALL
          SELECT from_holder_id, -amount FROM lp_token_movements
          WHERE project_id = ${project} AND effective_at > ${asOf} AND from_holder_id > ${after}
        ) moved
        GROUP BY holder_id
      ) later ON later.holder_id = b.lp_token_holder_id
      WHERE b.project_id = ${project} AND b.lp_token_holder_id > ${after}
      ORDER BY b.lp_token_holder_id
      LIMIT ${scope.size}
    ),
    holders AS (
      SELECT holder_id, (balance * 10000000)::numeric(40, 0) AS units FROM chunk WHERE balance > 0
    )`;
}

export const num = (value: bigint) => sql<string>`cast(${value.toString()} as numeric)`;
/** LIMIT and OFFSET take bigint, to which numeric does not cast implicitly. */
export const int8 = (value: bigint) => sql<string>`cast(${value.toString()} as bigint)`;

/**
 * Each holder's floor and remainder of T·units ÷ S per dimension, from one division each
 * (remainder = T·units − floor·S, both ≥ 0). OFFSET 0 keeps the products a subquery of their own:
 * inlined, each reference to a floor would compute its division again.
 */
export function shares(totals: Totals) {
  const tokens = num(totals.tokens);
  return sql`
    shares AS (
      SELECT holder_id, units,
        amount_floor, amount_product - amount_floor * ${tokens} AS amount_remainder,
        percent_floor, percent_product - percent_floor * ${tokens} AS percent_remainder
      FROM (
        SELECT holder_id, units,
          ${num(totals.amount)} * units AS amount_product, div(${num(totals.amount)} * units, ${tokens}) AS amount_floor,
          ${num(totals.percent)} * units AS percent_product, div(${num(totals.percent)} * units, ${tokens}) AS percent_floor
        FROM holders OFFSET 0
      ) products
    )`;
}

/**
 * The last holder the chunk scanned, or null when no holder is left after it: the chunk came
 * short of its size (or was empty), so the next chunk would read nothing. uuid order, not text
 * order: text comparison follows the database collation (not C on Aurora).
 */
export const lastHolderOf = (scope: ChunkScope) => sql<string | null>`(CASE WHEN (SELECT count(*) FROM chunk) < ${int8(BigInt(scope.size))} THEN NULL
  ELSE (SELECT holder_id::text FROM chunk ORDER BY chunk.holder_id DESC LIMIT 1) END)`;

const UUID_CHARS = 36;
/** A balance as text: positive, so its type's digits and the point, no sign. */
const BALANCE_CHARS = LP_TOKENS.precision + 1;

/**
 * Σ LP tokens in issue as of the record date, in one aggregate over the project's movements:
 * issues less burns (the parties check gives an issue no sender and a burn no recipient;
 * transfers leave Σ unchanged). With the books closed up to the record date it equals Σ of the
 * holders' balances, which the first pass checks. Also the project's balance rows today, an
 * estimate of the holders for the first pass's buckets (apportionment.ts: firstPassSearch).
 */
export async function tokensAsOf(db: Db, projectId: string, recordDate: Date): Promise<{ tokens: string; holdersEstimate: number }> {
  const project = uuid(projectId);
  const { rows } = await sql<{ tokens: string; holders_estimate: string }>`
    SELECT (coalesce(sum(amount) FILTER (WHERE from_holder_id IS NULL), 0)
      - coalesce(sum(amount) FILTER (WHERE to_holder_id IS NULL), 0))::${sql.raw(sqlType(LP_TOKENS))}::text AS tokens,
      (SELECT count(*) FROM lp_token_balances WHERE project_id = ${project})::text AS holders_estimate
    FROM lp_token_movements
    WHERE project_id = ${project} AND effective_at <= ${timestamptz(recordDate)}`.execute(db);
  return { tokens: rows[0]?.tokens ?? '0', holdersEstimate: Number(rows[0]?.holders_estimate ?? 0) };
}

/** A snapshot line, `holder_id:balance\n`: a UUID, the colon, a balance and the newline. */
export const SNAPSHOT_LINE_CHARS = UUID_CHARS + 1 + BALANCE_CHARS + 1;

/** `lines`: the chunk's snapshot lines in holder order, packed `linesPerRow` to a row (`part` orders the rows). */
export function snapshotLines(linesPerRow: number) {
  return sql`
    line AS (
      SELECT holder_id, holder_id::text || ':' || balance::${sql.raw(sqlType(LP_TOKENS))}::text || E'\\n' AS line,
        (row_number() OVER (ORDER BY holder_id) - 1) / ${int8(BigInt(linesPerRow))} AS part
      FROM chunk WHERE balance > 0
    ),
    lines AS (SELECT part, string_agg(line, '' ORDER BY holder_id) AS body FROM line GROUP BY part)`;
}

/**
 * The first pass's answer: rows of one text each (`body`), so that a few rows carry a whole
 * chunk's snapshot lines and histograms rather than a row per holder or per bucket.
 * - `lines`: the snapshot lines of up to `linesPerRow` holders, in holder order (`part` orders them);
 * - one row per dimension: `Σ floor;min;max;bucket:count,…` of the remainders within [lo, hi);
 * - `chunk`: `holders;Σ units;last holder scanned;states saved` (the last holder empty once the
 *   ledger is exhausted; states saved 1 or 0 with a `save`, else empty).
 */
export const firstPassColumns = (bodyChars: number, partChars: number): readonly ResultColumn[] => [
  { name: 'kind', maxChars: DIMENSION_CHARS },
  { name: 'part', maxChars: partChars },
  { name: 'body', maxChars: bodyChars },
];

export interface FirstPassChunk {
  lastHolderId: string | null;
  floorSums: Map<Dimension, bigint>;
  histograms: Map<Dimension, ChunkHistogram>;
  /** The chunk's snapshot lines, in holder order, for the snapshot hash. */
  lines: string[];
  holders: number;
  /** Σ balances of the chunk, in units. */
  tokens: bigint;
  /** Whether the statement saved the state it was given; null when given none. */
  saved: boolean | null;
}

/** A calculation state to save by compare-and-set (saveCalculationState) in another statement. */
export interface StateSave {
  step: CalculationStep;
  state: unknown;
}

/**
 * The first pass over a chunk: per dimension, Σ floor and the histogram of every remainder
 * (as readHistograms answers on its first pass), and what the snapshot needs (the holder count,
 * Σ balances and the snapshot lines), in one statement and a few rows. With `save`, the same
 * statement saves the state the previous chunk left, as saveCalculationState does: one call fewer
 * a chunk.
 */
export async function readFirstPass(
  db: Db,
  scope: ChunkScope,
  totals: Totals,
  requests: readonly HistogramRequest[],
  linesPerRow: number,
  save: StateSave | null = null,
): Promise<FirstPassChunk> {
  const parts = requests.map((request) => {
    const { dimension, lo, hi } = request;
    const remainder = sql.ref(`${dimension}_remainder`);
    const inInterval = sql`${remainder} >= ${num(lo)} AND ${remainder} < ${num(hi)}`;
    const bucket = bucketOf(remainder, request);
    return sql`
      SELECT ${dimension}::text AS kind, NULL::text AS part,
        coalesce(sum(${sql.ref(`${dimension}_floor`)}), 0)::text || ';'
        || coalesce(min(${remainder}) FILTER (WHERE ${inInterval})::text, '') || ';'
        || coalesce(max(${remainder}) FILTER (WHERE ${inInterval})::text, '') || ';'
        || coalesce((SELECT string_agg(b::text || ':' || n::text, ',') FROM (
             SELECT ${bucket} AS b, count(*) AS n FROM shares WHERE ${inInterval} GROUP BY 1) h), '') AS body
      FROM shares`;
  });
  const saving =
    save === null
      ? { cte: sql``, count: sql`''` }
      : {
          cte: sql`saved AS (
            UPDATE distribution_events SET calculation_state = ${jsonb(save.state)}, updated_at = now()
            WHERE ${atStep(save.step)} RETURNING 1),`,
          count: sql`(SELECT count(*) FROM saved)::text`,
        };
  const { rows } = await sql<{ kind: string; part: string | null; body: string | null }>`
    WITH ${saving.cte} ${chunkBalances(scope)}, ${shares(totals)}, ${snapshotLines(linesPerRow)}
    SELECT 'lines'::text AS kind, part::text AS part, body FROM lines
    UNION ALL
    ${sql.join(parts, sql` UNION ALL `)}
    UNION ALL
    SELECT 'chunk', NULL, (SELECT count(*) FROM holders)::text || ';' || (SELECT coalesce(sum(units), 0) FROM holders)::text || ';'
      || coalesce(${lastHolderOf(scope)}, '') || ';' || ${saving.count}`.execute(db);

  const chunk: FirstPassChunk = { lastHolderId: null, floorSums: new Map(), histograms: new Map(), lines: [], holders: 0, tokens: 0n, saved: null };
  const lines: [number, string][] = [];
  for (const { kind, part, body } of rows) {
    const [first = '', second = '', third = '', fourth = ''] = (body ?? '').split(';');
    if (kind === 'lines') lines.push([Number(part), body ?? '']);
    else if (kind === 'chunk') {
      chunk.holders = Number(first);
      chunk.tokens = BigInt(second);
      chunk.lastHolderId = third === '' ? null : third;
      chunk.saved = fourth === '' ? null : fourth === '1';
    } else {
      const dimension = kind as Dimension;
      chunk.floorSums.set(dimension, BigInt(first));
      const counts = new Map<number, bigint>();
      for (const entry of fourth === '' ? [] : fourth.split(',')) {
        const [index = '', count = ''] = entry.split(':');
        counts.set(Number(index), BigInt(count));
      }
      chunk.histograms.set(dimension, { counts, min: second === '' ? null : BigInt(second), max: third === '' ? null : BigInt(third) });
    }
  }
  chunk.lines = lines.sort(([a], [b]) => a - b).map(([, text]) => text);
  return chunk;
}

/** The widest text each kind of value of a cut-search answer can have. */
export interface SearchWidths {
  /** A remainder is less than Σ tokens in units. */
  remainder: number;
  /** A chunk's Σ floor is at most the amount (or 100 %) in units. */
  floorSum: number;
  /** A count is at most the holders in one statement. */
  count: number;
  /** A bucket index is less than the buckets of a histogram. */
  bucket: number;
}

export const DIMENSION_CHARS = Math.max(...(['amount', 'percent'] as const).map((d) => d.length));

/**
 * A histogram answer: per dimension, one summary row (bucket null: holders in the interval, Σ
 * floor when asked, least and greatest remainder there), one row per non-empty bucket (its
 * count), and one last row naming the last holder scanned.
 */
export const histogramColumns = (w: SearchWidths): readonly ResultColumn[] => [
  { name: 'dimension', maxChars: DIMENSION_CHARS },
  { name: 'bucket', maxChars: w.bucket },
  { name: 'n', maxChars: w.count },
  { name: 'floor_sum', maxChars: w.floorSum },
  { name: 'min', maxChars: w.remainder },
  { name: 'max', maxChars: w.remainder },
  { name: 'last_holder', maxChars: UUID_CHARS },
];

export interface HistogramRequest {
  dimension: Dimension;
  lo: bigint;
  hi: bigint;
  buckets: number;
  /** Buckets not of equal width (apportionment.ts: bucketBounds). */
  band?: Band;
}

/**
 * A remainder's bucket, as apportionment.ts's bucketBounds draws them: ⌊(r − lo)·B / (hi − lo)⌋,
 * or with a band, 0 below it, B − 1 at or above it and 1 + its part of the band between. div,
 * not floor(… / …): numeric division rounds to about 16 significant digits first, which can push
 * a remainder just below a bucket's end into the next bucket.
 */
function bucketOf(remainder: RawBuilder<unknown>, { lo, hi, buckets, band }: HistogramRequest) {
  if (band === undefined) return sql`div((${remainder} - ${num(lo)}) * ${num(BigInt(buckets))}, ${num(hi - lo)})`;
  return sql`CASE WHEN ${remainder} < ${num(band.lo)} THEN 0 WHEN ${remainder} >= ${num(band.hi)} THEN ${num(BigInt(buckets - 1))}
    ELSE 1 + div((${remainder} - ${num(band.lo)}) * ${num(BigInt(buckets - 2))}, ${num(band.hi - band.lo)}) END`;
}

export interface ChunkHistogram {
  counts: Map<number, bigint>;
  min: bigint | null;
  max: bigint | null;
}

/**
 * Cut-search passes: per dimension, a histogram of the chunk's remainders within [lo, hi)
 * (and Σ floor over the chunk, on the first pass). Answers at most dimensions × (buckets + 1) + 1 rows.
 */
export async function readHistograms(db: Db, scope: ChunkScope, totals: Totals, requests: readonly HistogramRequest[], withFloorSums: boolean) {
  const parts = requests.map((request) => {
    const { dimension, lo, hi } = request;
    const remainder = sql.ref(`${dimension}_remainder`);
    const inInterval = sql`${remainder} >= ${num(lo)} AND ${remainder} < ${num(hi)}`;
    const floorSum = withFloorSums ? sql`coalesce(sum(${sql.ref(`${dimension}_floor`)}), 0)::text` : sql`NULL::text`;
    return sql`
      SELECT ${dimension}::text AS dimension, NULL::text AS bucket, count(*) FILTER (WHERE ${inInterval})::text AS n,
        ${floorSum} AS floor_sum,
        min(${remainder}) FILTER (WHERE ${inInterval})::text AS min, max(${remainder}) FILTER (WHERE ${inInterval})::text AS max,
        NULL::text AS last_holder
      FROM shares
      UNION ALL
      SELECT ${dimension}::text, (${bucketOf(remainder, request)})::text, count(*)::text,
        NULL, NULL, NULL, NULL
      FROM shares WHERE ${inInterval}
      GROUP BY 2`;
  });
  const { rows } = await sql<{
    dimension: Dimension | null;
    bucket: string | null;
    n: string | null;
    floor_sum: string | null;
    min: string | null;
    max: string | null;
    last_holder: string | null;
  }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}
    ${sql.join(parts, sql` UNION ALL `)}
    UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, ${lastHolderOf(scope)}`.execute(db);

  const floorSums = new Map<Dimension, bigint>();
  const histograms = new Map<Dimension, ChunkHistogram>();
  let lastHolderId: string | null = null;
  for (const row of rows) {
    if (row.dimension === null) {
      lastHolderId = row.last_holder;
      continue;
    }
    const histogram = histograms.get(row.dimension) ?? { counts: new Map<number, bigint>(), min: null, max: null };
    histograms.set(row.dimension, histogram);
    if (row.bucket === null) {
      if (row.floor_sum !== null) floorSums.set(row.dimension, BigInt(row.floor_sum));
      histogram.min = row.min === null ? null : BigInt(row.min);
      histogram.max = row.max === null ? null : BigInt(row.max);
    } else {
      histogram.counts.set(Number(row.bucket), BigInt(row.n ?? '0'));
    }
  }
  return { lastHolderId, floorSums, histograms };
}

/** A gather answer: per dimension, up to `need` candidates; then one row naming the last holder scanned. */
export const candidateColumns = (w: SearchWidths): readonly ResultColumn[] => [
  { name: 'dimension', maxChars: DIMENSION_CHARS },
  { name: 'holder_id', maxChars: UUID_CHARS },
  { name: 'remainder', maxChars: w.remainder },
];

export interface CandidateRequest {
  dimension: Dimension;
  lo: bigint;
  hi: bigint;
  /** Only the first `need` in (remainder desc, holder id asc) order can be the cut. */
  need: bigint;
}

/**
 * (remainder desc, holder id asc) over `shares`' own columns. Qualified on purpose: a bare name in
 * ORDER BY means an output column first, and these statements output the same names as text,
 * which would order remainders by their digits and holder ids by the collation.
 */
const byPriority = (dimension: Dimension) => sql`${sql.ref(`shares.${dimension}_remainder`)} DESC, shares.holder_id`;

/** Gather passes: the chunk's first `need` holders with a remainder in [lo, hi), in (remainder desc, holder id asc) order. */
export async function readCandidates(db: Db, scope: ChunkScope, totals: Totals, requests: readonly CandidateRequest[]) {
  const parts = requests.map(({ dimension, lo, hi, need }) => {
    const remainder = sql.ref(`${dimension}_remainder`);
    return sql`(
      SELECT ${dimension}::text AS dimension, holder_id::text AS holder_id, ${remainder}::text AS remainder
      FROM shares WHERE ${remainder} >= ${num(lo)} AND ${remainder} < ${num(hi)}
      ORDER BY ${byPriority(dimension)} LIMIT ${int8(need)})`;
  });
  const { rows } = await sql<{ dimension: Dimension | null; holder_id: string | null; remainder: string | null }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}
    ${sql.join(parts, sql` UNION ALL `)}
    UNION ALL SELECT NULL, ${lastHolderOf(scope)}, NULL`.execute(db);
  const candidates = new Map<Dimension, Cut[]>();
  let lastHolderId: string | null = null;
  for (const row of rows) {
    if (row.dimension === null) {
      lastHolderId = row.holder_id;
      continue;
    }
    if (row.holder_id === null || row.remainder === null) continue;
    const list = candidates.get(row.dimension) ?? [];
    list.push({ holderId: row.holder_id, remainder: BigInt(row.remainder) });
    candidates.set(row.dimension, list);
  }
  return { lastHolderId, candidates };
}

/** A tie-walk answer: per dimension, the chunk's holders at the remainder and the one asked for; then the last holder scanned. */
export const tieColumns = (w: SearchWidths): readonly ResultColumn[] => [
  { name: 'dimension', maxChars: DIMENSION_CHARS },
  { name: 'n', maxChars: w.count },
  { name: 'holder_id', maxChars: UUID_CHARS },
];

export interface TieRequest {
  dimension: Dimension;
  remainder: bigint;
  /** 1-based position, in holder order within the chunk, of the holder wanted. */
  nth: bigint;
}

/** Tie-walk passes: how many of the chunk's holders have the remainder, and the `nth` of them in holder order. */
export async function readTies(db: Db, scope: ChunkScope, totals: Totals, requests: readonly TieRequest[]) {
  const parts = requests.map(({ dimension, remainder, nth }) => {
    const column = sql.ref(`${dimension}_remainder`);
    return sql`
      SELECT ${dimension}::text AS dimension, count(*)::text AS n,
        (SELECT holder_id::text FROM shares WHERE ${column} = ${num(remainder)} ORDER BY shares.holder_id OFFSET ${int8(nth - 1n)} LIMIT 1) AS holder_id
      FROM shares WHERE ${column} = ${num(remainder)}`;
  });
  const { rows } = await sql<{ dimension: Dimension | null; n: string | null; holder_id: string | null }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}
    ${sql.join(parts, sql` UNION ALL `)}
    UNION ALL SELECT NULL, NULL, ${lastHolderOf(scope)}`.execute(db);
  const ties = new Map<Dimension, { tied: bigint; nth: string | null }>();
  let lastHolderId: string | null = null;
  for (const row of rows) {
    if (row.dimension === null) lastHolderId = row.holder_id;
    else ties.set(row.dimension, { tied: BigInt(row.n ?? '0'), nth: row.holder_id });
  }
  return { lastHolderId, ties };
}

/**
 * A cut still to be gathered while writing: holders with a remainder at or above `hi` get the
 * extra unit; those in [lo, hi) are candidates, of which the `need` first in (remainder desc,
 * holder id asc) order get it once the pass is complete (addLeftoverUnits).
 */
export interface WriteGather {
  lo: bigint;
  hi: bigint;
  need: bigint;
}

function extraUnit(dimension: Dimension, cut: Cut | null, gather: WriteGather | null): RawBuilder<unknown> {
  const remainder = sql.ref(`${dimension}_remainder`);
  if (gather !== null) return sql`CASE WHEN ${remainder} >= ${num(gather.hi)} THEN 1 ELSE 0 END`;
  if (cut === null) return sql`0`;
  return sql`CASE WHEN ${remainder} > ${num(cut.remainder)}
    OR (${remainder} = ${num(cut.remainder)} AND holder_id <= ${uuid(cut.holderId)}) THEN 1 ELSE 0 END`;
}

/**
 * The write pass's answer: one summary row (what it wrote, the last holder scanned), then per
 * dimension still gathering its cut up to `need` candidates.
 */
export const writeColumns = (w: SearchWidths): readonly ResultColumn[] => [
  { name: 'dimension', maxChars: DIMENSION_CHARS },
  { name: 'holder_id', maxChars: UUID_CHARS },
  { name: 'remainder', maxChars: w.remainder },
  { name: 'last_holder', maxChars: UUID_CHARS },
  { name: 'inserted', maxChars: w.count },
  // A chunk's shares add up to at most the total and to at most 100 %, in units of 10^-7.
  { name: 'amount_units', maxChars: DISTRIBUTION_AMOUNT.precision },
  { name: 'percent_units', maxChars: OWNERSHIP_PERCENTAGE.precision },
];

/**
 * Final pass: inserts the chunk's allocation rows, exact but for the units of a cut still being
 * gathered, and returns what it wrote (so the caller can prove the totals at the end) and the
 * chunk's candidates for those cuts.
 */
export async function insertAllocations(
  db: Db,
  scope: ChunkScope,
  totals: Totals,
  target: { eventId: string; cuts: Record<Dimension, Cut | null>; gathers: Record<Dimension, WriteGather | null> },
) {
  const candidates = (['amount', 'percent'] as const).flatMap((dimension) => {
    const gather = target.gathers[dimension];
    if (gather === null) return [];
    const remainder = sql.ref(`${dimension}_remainder`);
    return [
      sql`UNION ALL (
        SELECT ${dimension}::text, holder_id::text, ${remainder}::text, NULL, NULL, NULL, NULL
        FROM shares WHERE ${remainder} >= ${num(gather.lo)} AND ${remainder} < ${num(gather.hi)}
        ORDER BY ${byPriority(dimension)} LIMIT ${int8(gather.need)})`,
    ];
  });
  const { rows } = await sql<{
    dimension: Dimension | null;
    holder_id: string | null;
    remainder: string | null;
    last_holder: string | null;
    inserted: string | null;
    amount_units: string | null;
    percent_units: string | null;
  }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)},
    final AS (
      SELECT holder_id, units,
        amount_floor + ${extraUnit('amount', target.cuts.amount, target.gathers.amount)} AS amount_units,
        percent_floor + ${extraUnit('percent', target.cuts.percent, target.gathers.percent)} AS percent_units
      FROM shares
    ),
    -- Runs whether or not it is read; the sums below come from what it inserts, in units.
    inserted AS (
      INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id,
        lp_tokens_held, ownership_percentage, allocated_amount, available_amount)
      SELECT ${uuid(target.eventId)}, ${uuid(scope.projectId)}, holder_id,
        -- Multiplication by 10^-7 is exact; numeric division picks its own scale and can round.
        units * 0.0000001, percent_units * 0.0000001, amount_units * 0.0000001, amount_units * 0.0000001
      FROM final
    )
    SELECT NULL::text AS dimension, NULL::text AS holder_id, NULL::text AS remainder, ${lastHolderOf(scope)} AS last_holder,
      count(*)::text AS inserted, coalesce(sum(amount_units), 0)::text AS amount_units, coalesce(sum(percent_units), 0)::text AS percent_units
    FROM final
    ${candidates.length === 0 ? sql`` : sql.join(candidates, sql` `)}`.execute(db);
  const found = new Map<Dimension, Cut[]>();
  let summary: (typeof rows)[number] | undefined;
  for (const row of rows) {
    if (row.dimension === null) summary = row;
    else if (row.holder_id !== null && row.remainder !== null) {
      found.set(row.dimension, [...(found.get(row.dimension) ?? []), { holderId: row.holder_id, remainder: BigInt(row.remainder) }]);
    }
  }
  if (summary === undefined) throw new Error('allocation insert returned no summary row');
  return {
    lastHolderId: summary.last_holder,
    inserted: Number(summary.inserted),
    amountUnits: BigInt(summary.amount_units ?? '0'),
    percentUnits: BigInt(summary.percent_units ?? '0'),
    candidates: found,
  };
}

/** The SET of an allocation row that gets one unit (10^-7) more of a dimension, or with '-' one less. */
export function oneUnitMore(dimension: Dimension, sign: '+' | '-' = '+') {
  const unit = sql`${sql.raw(sign)} 0.0000001`;
  return dimension === 'amount'
    ? sql`allocated_amount = allocated_amount ${unit}, available_amount = available_amount ${unit}`
    : sql`ownership_percentage = ownership_percentage ${unit}`;
}

/**
 * Gives the extra unit of one dimension to the holders a write pass gathered (in the
 * transaction that completes the calculation); returns how many rows it changed.
 */
export async function addLeftoverUnits(trx: Db, eventId: string, dimension: Dimension, holderIds: readonly string[]): Promise<number> {
  if (holderIds.length === 0) return 0;
  const result = await sql`
    UPDATE distribution_allocations SET ${oneUnitMore(dimension)}
    WHERE distribution_event_id = ${uuid(eventId)} AND lp_token_holder_id IN (${sql.join(holderIds.map((id) => uuid(id)))})`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * The columns of an event a calculation works from: not the whole row, whose free text
 * (description, reasons) has no bound that keeps a Data API row under 64 KiB; these, with the
 * state (calculation-limits.ts: STATE_MAX_BYTES), stay far below it.
 */
export async function findCalculationEvent(db: Db, eventId: string) {
  return db
    .selectFrom('distribution_events')
    .select([
      'project_id',
      'status',
      'distribution_date',
      'total_amount',
      'created_by',
      'calculation_requested_by',
      'calculation_requested_at',
      'calculation_state',
      'calculated_at',
      'snapshot_holder_count',
    ])
    .where('id', '=', uuid(eventId))
    .executeTakeFirst();
}

/**
 * The step of a calculation a worker has read: which attempt (the request's instant, so a worker
 * of an earlier attempt cannot write into a later one) and which step of it (`seq`).
 */
export interface CalculationStep {
  eventId: string;
  requestedAt: Date | null;
  seq: number;
}

/** The event is still calculating, in this attempt, at this step. */
export function atStep(step: CalculationStep) {
  // Compared at the millisecond: a Date read back through the Data API keeps no more.
  const attempt =
    step.requestedAt === null
      ? sql`calculation_requested_at IS NULL`
      : sql`date_trunc('milliseconds', calculation_requested_at) = ${timestamptz(step.requestedAt)}`;
  return sql`id = ${uuid(step.eventId)} AND status = 'calculating' AND ${attempt}
    AND coalesce((calculation_state->>'seq')::int, 0) = cast(${String(step.seq)} as int)`;
}

/**
 * Compare-and-set of the calculation state: moves it on from `step` to `next` (whose size the
 * caller bounds), or does nothing when another worker has moved it first. Returns whether it moved.
 */
export async function saveCalculationState(db: Db, step: CalculationStep, next: unknown): Promise<boolean> {
  const result = await sql`
    UPDATE distribution_events SET calculation_state = ${jsonb(next)}, updated_at = now()
    WHERE ${atStep(step)}`.execute(db);
  return Number(result.numAffectedRows ?? 0n) === 1;
}

/** Locks the event for a write step if it still stands at `step`; false when another worker moved it on. */
export async function lockCalculationStep(trx: Db, step: CalculationStep): Promise<boolean> {
  const { rows } = await sql`SELECT 1 AS locked FROM distribution_events WHERE ${atStep(step)} FOR UPDATE`.execute(trx);
  return rows.length === 1;
}

/** Records a write step's progress in the transaction that wrote its rows (the event is locked). */
export async function saveWriteProgress(trx: Db, eventId: string, next: unknown, holdersDone: number): Promise<void> {
  await sql`
    UPDATE distribution_events SET calculation_state = ${jsonb(next)}, holders_done = cast(${String(holdersDone)} as int), updated_at = now()
    WHERE id = ${uuid(eventId)}`.execute(trx);
}

/**
 * Removes up to `size` allocation rows of an event while it stands at the reset step (a
 * recalculation after a failure starts clean); a worker that fell behind deletes nothing.
 */
export async function deleteAllocationsChunk(db: Db, step: CalculationStep, size: number): Promise<number> {
  const result = await sql`
    DELETE FROM distribution_allocations WHERE id IN (
      SELECT id FROM distribution_allocations WHERE distribution_event_id = ${uuid(step.eventId)} LIMIT ${size})
    AND EXISTS (SELECT 1 FROM distribution_events WHERE ${atStep(step)})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** What a completed calculation records on its event. */
export interface CalculatedSnapshot {
  recordDate: Date;
  totalTokens: Decimal;
  holders: number;
  snapshotHash: string;
  nav: string | null;
  totalAllocated: Decimal;
}

/** Marks the event calculated with its snapshot, in the transaction of the last write step (the event is locked). */
export async function markEventCalculated(trx: Db, eventId: string, snapshot: CalculatedSnapshot): Promise<void> {
  await trx
    .updateTable('distribution_events')
    .set((eb) => ({
      status: 'calculated',
      snapshot_date: snapshot.recordDate,
      snapshot_total_lp_tokens: numeric(snapshot.totalTokens),
      snapshot_holder_count: snapshot.holders,
      snapshot_hash: snapshot.snapshotHash,
      snapshot_nav: snapshot.nav === null ? null : numeric(snapshot.nav),
      total_allocated: numeric(snapshot.totalAllocated),
      holders_done: snapshot.holders,
      calculation_state: null,
      calculated_at: eb.fn('now'),
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', uuid(eventId))
    .execute();
}

/**
 * Moves an event still `calculating` to `failed` with its reason and drops its state; false when
 * it is no longer calculating (another worker ended it first).
 */
export async function failCalculatingEvent(db: Db, eventId: string, reason: string): Promise<boolean> {
  const updated = await db
    .updateTable('distribution_events')
    .set((eb) => ({ status: 'failed', failure_reason: reason, calculation_state: null, updated_at: eb.fn('now') }))
    .where('id', '=', uuid(eventId))
    .where('status', '=', 'calculating')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
