import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client';
import { timestamptz, uuid } from '../db/sql-values';
import type { Cut, HistogramBucket } from './apportionment';

/**
 * SQL for the allocation calculation. Every statement covers one chunk of holders, in holder id
 * order after a cursor, with balances read from the LP token ledger as of the record date.
 * No statement, parameter list or result grows with the number of holders beyond the chunk.
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

export interface ChunkProgress {
  /** Last holder id scanned (with or without a balance), or null when the ledger is exhausted. */
  lastHolderId: string | null;
}

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

/**
 * `chunk`: credits of the next `size` recipients in holder order, less their debits, both as of
 * the record date; `holders`: those with a positive balance, in integer units.
 */
function chunkBalances(scope: ChunkScope) {
  const project = uuid(scope.projectId);
  const asOf = timestamptz(scope.recordDate);
  return sql`
    chunk AS (
      SELECT c.holder_id, c.credited - coalesce(d.debited, 0) AS balance
      FROM (
        SELECT to_holder_id AS holder_id, sum(amount) AS credited
        FROM lp_token_movements
        WHERE project_id = ${project} AND to_holder_id > ${uuid(scope.after)} AND effective_at <= ${asOf}
        GROUP BY to_holder_id
        ORDER BY to_holder_id
        LIMIT ${scope.size}
      ) c
      LEFT JOIN LATERAL (
        SELECT sum(amount) AS debited FROM lp_token_movements
        WHERE project_id = ${project} AND from_holder_id = c.holder_id AND effective_at <= ${asOf}
      ) d ON true
    ),
    holders AS (
      SELECT holder_id, (balance * 10000000)::numeric(40, 0) AS units FROM chunk WHERE balance > 0
    )`;
}

const num = (value: bigint) => sql<string>`cast(${value.toString()} as numeric)`;

function shares(totals: Totals) {
  const tokens = num(totals.tokens);
  return sql`
    shares AS (
      SELECT holder_id, units,
        div(${num(totals.amount)} * units, ${tokens}) AS amount_floor,
        mod(${num(totals.amount)} * units, ${tokens}) AS amount_remainder,
        div(${num(totals.percent)} * units, ${tokens}) AS percent_floor,
        mod(${num(totals.percent)} * units, ${tokens}) AS percent_remainder
      FROM holders
    )`;
}

// uuid order, not text order: text comparison follows the database collation (not C on Aurora).
const lastHolderOf = sql<string | null>`(SELECT holder_id::text FROM chunk ORDER BY holder_id DESC LIMIT 1)`;

const progress = (last: string | null): ChunkProgress => ({ lastHolderId: last });

/** Pass 1: the chunk's holders and balances (for Σ, the count and the snapshot hash). */
export async function readBalances(db: Db, scope: ChunkScope) {
  const { rows } = await sql<{ holder_id: string | null; balance: string | null; last_holder: string | null }>`
    WITH ${chunkBalances(scope)}
    SELECT r.*, ${lastHolderOf} AS last_holder FROM (
      SELECT holder_id::text AS holder_id, balance::numeric(30, 7)::text AS balance FROM chunk WHERE balance > 0
      UNION ALL SELECT NULL, NULL
    ) r ORDER BY r.holder_id NULLS LAST`.execute(db);
  const holdings = rows.flatMap((r) => (r.holder_id === null || r.balance === null ? [] : [{ holderId: r.holder_id, balance: r.balance }]));
  return { ...progress(rows[0]?.last_holder ?? null), holdings };
}

export interface HistogramRequest {
  dimension: Dimension;
  lo: bigint;
  hi: bigint;
  buckets: bigint;
}

/**
 * Pass 2 and narrowing passes: per dimension, Σ floor over the chunk and a histogram of the
 * remainders within [lo, hi).
 */
export async function readHistograms(db: Db, scope: ChunkScope, totals: Totals, requests: readonly HistogramRequest[]) {
  const parts = requests.map(({ dimension, lo, hi, buckets }) => {
    const remainder = sql.ref(`${dimension}_remainder`);
    const floor = sql.ref(`${dimension}_floor`);
    return sql`
      SELECT ${dimension}::text AS dimension, NULL::numeric AS bucket, count(*)::text AS n,
        NULL::text AS min, NULL::text AS max, coalesce(sum(${floor}), 0)::text AS floor_sum
      FROM shares
      UNION ALL
      SELECT ${dimension}::text, floor((${remainder} - ${num(lo)}) * ${num(buckets)} / ${num(hi - lo)}),
        count(*)::text, min(${remainder})::text, max(${remainder})::text, NULL
      FROM shares WHERE ${remainder} >= ${num(lo)} AND ${remainder} < ${num(hi)}
      GROUP BY 2`;
  });
  const { rows } = await sql<{
    dimension: Dimension;
    bucket: string | null;
    n: string;
    min: string | null;
    max: string | null;
    floor_sum: string | null;
    last_holder: string | null;
  }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}
    SELECT r.*, ${lastHolderOf} AS last_holder FROM (${sql.join(parts, sql` UNION ALL `)}) r`.execute(db);

  const floorSums = new Map<Dimension, bigint>();
  const histograms = new Map<Dimension, Map<bigint, HistogramBucket>>();
  for (const row of rows) {
    if (row.bucket === null) {
      floorSums.set(row.dimension, BigInt(row.floor_sum ?? '0'));
      continue;
    }
    const histogram = histograms.get(row.dimension) ?? new Map<bigint, HistogramBucket>();
    histogram.set(BigInt(row.bucket), { count: BigInt(row.n), min: BigInt(row.min ?? '0'), max: BigInt(row.max ?? '0') });
    histograms.set(row.dimension, histogram);
  }
  return { ...progress(rows[0]?.last_holder ?? null), floorSums, histograms };
}

export interface CandidateRequest {
  dimension: Dimension;
  /** Remainders in [lo, hi) (gather), or equal to `lo` when `hi` is lo + 1 (tie-walk). */
  lo: bigint;
  hi: bigint;
}

/** Gather and tie-walk passes: the chunk's holders whose remainder lies in [lo, hi), in holder order. */
export async function readCandidates(db: Db, scope: ChunkScope, totals: Totals, requests: readonly CandidateRequest[]) {
  const parts = requests.map(({ dimension, lo, hi }) => {
    const remainder = sql.ref(`${dimension}_remainder`);
    return sql`
      SELECT ${dimension}::text AS dimension, holder_id::text AS holder_id, ${remainder}::text AS remainder
      FROM shares WHERE ${remainder} >= ${num(lo)} AND ${remainder} < ${num(hi)}`;
  });
  const { rows } = await sql<{ dimension: Dimension | null; holder_id: string | null; remainder: string | null; last_holder: string | null }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)}
    SELECT r.*, ${lastHolderOf} AS last_holder
    FROM (${sql.join(parts, sql` UNION ALL `)} UNION ALL SELECT NULL, NULL, NULL) r
    ORDER BY r.holder_id NULLS LAST`.execute(db);
  const candidates = new Map<Dimension, Cut[]>();
  for (const row of rows) {
    if (row.dimension === null || row.holder_id === null || row.remainder === null) continue;
    const list = candidates.get(row.dimension) ?? [];
    list.push({ holderId: row.holder_id, remainder: BigInt(row.remainder) });
    candidates.set(row.dimension, list);
  }
  return { ...progress(rows[0]?.last_holder ?? null), candidates };
}

function extraUnit(dimension: Dimension, cut: Cut | null): RawBuilder<unknown> {
  if (cut === null) return sql`0`;
  const remainder = sql.ref(`${dimension}_remainder`);
  return sql`CASE WHEN ${remainder} > ${num(cut.remainder)}
    OR (${remainder} = ${num(cut.remainder)} AND holder_id <= ${uuid(cut.holderId)}) THEN 1 ELSE 0 END`;
}

/**
 * Final pass: inserts the chunk's allocation rows, already exact, and returns what it wrote
 * so the caller can prove the totals at the end.
 */
export async function insertAllocations(
  db: Db,
  scope: ChunkScope,
  totals: Totals,
  target: { eventId: string; cuts: Record<Dimension, Cut | null> },
) {
  const { rows } = await sql<{ last_holder: string | null; inserted: number; amount: string; percent: string }>`
    WITH ${chunkBalances(scope)}, ${shares(totals)},
    final AS (
      SELECT holder_id, units,
        amount_floor + ${extraUnit('amount', target.cuts.amount)} AS amount_units,
        percent_floor + ${extraUnit('percent', target.cuts.percent)} AS percent_units
      FROM shares
    ),
    inserted AS (
      INSERT INTO distribution_allocations (distribution_event_id, project_id, lp_token_holder_id,
        lp_tokens_held, ownership_percentage, allocated_amount, available_amount)
      SELECT ${uuid(target.eventId)}, ${uuid(scope.projectId)}, holder_id,
        -- Multiplication by 10^-7 is exact; numeric division picks its own scale and can round.
        units * 0.0000001, percent_units * 0.0000001, amount_units * 0.0000001, amount_units * 0.0000001
      FROM final
      RETURNING allocated_amount, ownership_percentage
    )
    SELECT ${lastHolderOf} AS last_holder, count(*)::int AS inserted,
      coalesce(sum(allocated_amount), 0)::numeric(30, 7)::text AS amount,
      coalesce(sum(ownership_percentage), 0)::numeric(30, 7)::text AS percent
    FROM inserted`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('allocation insert returned no summary row');
  return { ...progress(row.last_holder), inserted: row.inserted, amount: row.amount, percent: row.percent };
}

/** Removes up to `size` allocation rows of an event (a recalculation after a failure starts clean). */
export async function deleteAllocationsChunk(db: Db, eventId: string, size: number): Promise<number> {
  const result = await sql`
    DELETE FROM distribution_allocations WHERE id IN (
      SELECT id FROM distribution_allocations WHERE distribution_event_id = ${uuid(eventId)} LIMIT ${size})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
