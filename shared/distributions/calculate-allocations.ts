import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client';
import { jsonb, numeric, uuid } from '../db/sql-values';
import { Decimal } from '../decimal';
import { logger } from '../logger';
import {
  type Cut,
  type CutSearch,
  cutFromCandidates,
  DEFAULT_SEARCH_LIMITS,
  fromUnits,
  type HistogramBucket,
  narrow,
  type SearchLimits,
  startCutSearch,
  toUnits,
  walkTies,
} from './apportionment';
import {
  type ChunkScope,
  type Dimension,
  deleteAllocationsChunk,
  FIRST_HOLDER,
  insertAllocations,
  readBalances,
  readCandidates,
  readHistograms,
  type Totals,
} from './calculation.repository';
import { type CalculationState, parseCalculationState, sameCalculationState, storedCalculationState } from './calculation-state';
import { recordDistributionActivity } from './activity.repository';
import { findEventById } from './events.repository';
import { navInForce } from '../nav/nav.repository';

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];

/**
 * Holders per statement that returns a row per holder (the snapshot pass): a Data API response
 * must stay under 1 MiB. Passes that aggregate or write return a few rows and take `chunkSize`.
 */
const ROWS_PER_READ = 4_000;
const ONE_HUNDRED_PERCENT = 1_000_000_000n;

export interface CalculationOptions {
  /** Holders per statement. */
  chunkSize: number;
  /** False once the invocation should stop and hand over to a continuation message. */
  hasTimeLeft: () => boolean;
  /** Histogram width and gather limit of the cut search (tests narrow them to force more passes). */
  searchLimits?: SearchLimits;
}

export type CalculationOutcome = 'calculated' | 'failed' | 'paused' | 'not-calculating';

interface Calculation {
  eventId: string;
  projectId: string;
  recordDate: Date;
  totalAmount: Decimal;
  requestedBy: string;
}

class CalculationFailure extends Error {}

/**
 * Advances an event in `calculating` as far as time allows: snapshot pass, cut-search passes,
 * then the write pass, one chunk per transaction. Progress lives on the event row, so any
 * worker (a retry, a redelivery, a continuation) picks up where the last one stopped; two
 * workers on one event agree through compare-and-set on that state and end with one set of rows.
 *
 * Read passes are not resumable mid-pass (they restart); the write pass resumes by cursor.
 */
export async function advanceCalculation(db: Db, eventId: string, options: CalculationOptions): Promise<CalculationOutcome> {
  for (;;) {
    const event = await findEventById(db, eventId);
    if (event === undefined || event.status !== 'calculating') return 'not-calculating';
    const calculation: Calculation = {
      eventId,
      projectId: event.project_id,
      recordDate: event.distribution_date,
      totalAmount: new Decimal(event.total_amount),
      requestedBy: event.calculation_requested_by ?? event.created_by,
    };
    const state = parseCalculationState(event.calculation_state);
    try {
      const next = await step(db, calculation, state, options);
      if (next === 'calculated') return 'calculated';
      if (next !== 'unchanged' && !(await compareAndSetState(db, eventId, state, next))) continue;
    } catch (error) {
      if (!(error instanceof CalculationFailure)) throw error;
      await failCalculation(db, calculation, error.message);
      return 'failed';
    }
    if (!options.hasTimeLeft()) return 'paused';
  }
}

/** One unit of work; returns the state to move to ('unchanged' when the step persisted itself). */
async function step(
  db: Db,
  calculation: Calculation,
  state: CalculationState,
  options: CalculationOptions,
): Promise<CalculationState | 'unchanged' | 'calculated'> {
  switch (state.phase) {
    case 'reset': {
      const removed = await deleteAllocationsChunk(db, calculation.eventId, options.chunkSize);
      return removed === 0 ? { phase: 'snapshot' } : 'unchanged';
    }
    case 'snapshot':
      return snapshotPass(db, calculation, options);
    case 'select':
      return selectionPass(db, calculation, state, options);
    case 'write':
      return writeChunk(db, calculation, state, options);
  }
}

const scopeOf = (calculation: Calculation, after: string, size: number): ChunkScope => ({
  projectId: calculation.projectId,
  recordDate: calculation.recordDate,
  after,
  size,
});

/** Pass 1: Σ balances, the holder count and the snapshot hash over (holder, balance) lines. */
async function snapshotPass(db: Db, calculation: Calculation, options: CalculationOptions): Promise<CalculationState> {
  const hash = createHash('sha256');
  let tokens = 0n;
  let holders = 0;
  for (let after: string | null = FIRST_HOLDER; after !== null; ) {
    const chunk = await readBalances(db, scopeOf(calculation, after, Math.min(options.chunkSize, ROWS_PER_READ)));
    for (const { holderId, balance } of chunk.holdings) {
      hash.update(`${holderId}:${balance}\n`);
      tokens += toUnits(balance);
      holders += 1;
    }
    after = chunk.lastHolderId;
  }
  if (holders === 0) {
    throw new CalculationFailure(`No LP token holders as of the distribution date ${calculation.recordDate.toISOString()}`);
  }
  const totals: Totals = { tokens, amount: toUnits(calculation.totalAmount), percent: ONE_HUNDRED_PERCENT };
  return { phase: 'select', totals, holders, snapshotHash: `sha256:${hash.digest('hex')}`, searches: null };
}

/**
 * One pass of the cut search for every dimension not yet resolved. The first pass also sums the
 * floors, which fixes how many units are left over.
 */
async function selectionPass(
  db: Db,
  calculation: Calculation,
  state: Extract<CalculationState, { phase: 'select' }>,
  options: CalculationOptions,
): Promise<CalculationState> {
  const limits = options.searchLimits ?? DEFAULT_SEARCH_LIMITS;
  const first = state.searches === null;
  // The first pass histograms every remainder; how many units it must choose (`need`) is known
  // only once the same pass has summed the floors.
  const everything: CutSearch = { phase: 'histogram', lo: 0n, hi: state.totals.tokens, need: 0n };
  const searches: Record<Dimension, CutSearch> = { ...(state.searches ?? { amount: everything, percent: everything }) };
  const histograms = new Map<Dimension, Map<bigint, HistogramBucket>>();
  const floorSums = new Map<Dimension, bigint>();
  const gathered = new Map<Dimension, Cut[]>();
  // Candidates come back a row each, so a pass that collects them takes the row-returning bound;
  // every statement of a pass covers the same chunk.
  const collects = DIMENSIONS.some((d) => searches[d].phase === 'gather' || searches[d].phase === 'tie-walk');
  const chunkSize = collects ? Math.min(options.chunkSize, ROWS_PER_READ) : options.chunkSize;

  for (let after: string | null = FIRST_HOLDER; after !== null; ) {
    const scope = scopeOf(calculation, after, chunkSize);
    const histogramRequests = DIMENSIONS.flatMap((dimension) => {
      const search = searches[dimension];
      return search.phase === 'histogram' ? [{ dimension, lo: search.lo, hi: search.hi, buckets: limits.buckets }] : [];
    });
    const candidateRequests = DIMENSIONS.flatMap((dimension) => {
      const search = searches[dimension];
      if (search.phase === 'gather') return [{ dimension, lo: search.lo, hi: search.hi }];
      if (search.phase === 'tie-walk') return [{ dimension, lo: search.remainder, hi: search.remainder + 1n }];
      return [];
    });
    let lastHolderId: string | null = null;
    if (histogramRequests.length > 0) {
      const chunk = await readHistograms(db, scope, state.totals, histogramRequests);
      lastHolderId = chunk.lastHolderId;
      for (const [dimension, sum] of chunk.floorSums) floorSums.set(dimension, (floorSums.get(dimension) ?? 0n) + sum);
      for (const [dimension, histogram] of chunk.histograms) {
        const total = histograms.get(dimension) ?? new Map<bigint, HistogramBucket>();
        for (const [bucket, counts] of histogram) {
          const seen = total.get(bucket);
          total.set(
            bucket,
            seen === undefined
              ? counts
              : { count: seen.count + counts.count, min: seen.min < counts.min ? seen.min : counts.min, max: seen.max > counts.max ? seen.max : counts.max },
          );
        }
        histograms.set(dimension, total);
      }
    }
    if (candidateRequests.length > 0) {
      const chunk = await readCandidates(db, scope, state.totals, candidateRequests);
      lastHolderId = chunk.lastHolderId;
      for (const dimension of DIMENSIONS) {
        const search = searches[dimension];
        const found = chunk.candidates.get(dimension) ?? [];
        if (search.phase === 'tie-walk') searches[dimension] = walkTies(search, found.map((c) => c.holderId));
        else if (search.phase === 'gather') gathered.set(dimension, [...(gathered.get(dimension) ?? []), ...found]);
      }
    }
    // A tie-walk ends as soon as its holder is found; stop once nothing needs the rest of the pass.
    if (DIMENSIONS.every((dimension) => searches[dimension].phase === 'done')) break;
    after = lastHolderId;
  }

  const next: Record<Dimension, CutSearch> = { ...searches };
  for (const dimension of DIMENSIONS) {
    let search = searches[dimension];
    if (first) {
      const leftover = state.totals[dimension] - (floorSums.get(dimension) ?? 0n);
      search = startCutSearch(leftover, state.totals.tokens);
    }
    if (search.phase === 'histogram') search = narrow(search, histograms.get(dimension) ?? new Map(), limits);
    else if (search.phase === 'gather') search = cutFromCandidates(search, gathered.get(dimension) ?? []);
    else if (search.phase === 'tie-walk') throw new Error(`tie-walk for ${dimension} ran past the last holder`);
    next[dimension] = search;
  }

  if (next.amount.phase === 'done' && next.percent.phase === 'done') {
    return {
      phase: 'write',
      totals: state.totals,
      holders: state.holders,
      snapshotHash: state.snapshotHash,
      cuts: { amount: next.amount.cut, percent: next.percent.cut },
      after: FIRST_HOLDER,
      written: 0,
      amountUnits: 0n,
      percentUnits: 0n,
    };
  }
  return { ...state, searches: next };
}

/** One write chunk, in one transaction with the progress that records it. */
async function writeChunk(
  db: Db,
  calculation: Calculation,
  state: Extract<CalculationState, { phase: 'write' }>,
  options: CalculationOptions,
): Promise<'unchanged' | 'calculated'> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('distribution_events')
      .select(['status', 'calculation_state'])
      .where('id', '=', uuid(calculation.eventId))
      .forUpdate()
      .executeTakeFirst();
    if (locked?.status !== 'calculating' || !sameCalculationState(parseCalculationState(locked.calculation_state), state)) {
      return 'unchanged'; // another worker moved on; the caller reloads
    }
    const chunk = await insertAllocations(trx, scopeOf(calculation, state.after, options.chunkSize), state.totals, {
      eventId: calculation.eventId,
      cuts: state.cuts,
    });
    const next = {
      ...state,
      after: chunk.lastHolderId ?? state.after,
      written: state.written + chunk.inserted,
      amountUnits: state.amountUnits + toUnits(chunk.amount),
      percentUnits: state.percentUnits + toUnits(chunk.percent),
    };
    if (chunk.lastHolderId !== null) {
      await trx
        .updateTable('distribution_events')
        .set({ calculation_state: jsonb(storedCalculationState(next)), holders_done: next.written })
        .where('id', '=', uuid(calculation.eventId))
        .execute();
      return 'unchanged';
    }
    await completeCalculation(trx, calculation, next);
    return 'calculated';
  });
}

/** Proves the totals, then marks the event calculated with its snapshot and activity row. */
async function completeCalculation(trx: Db, calculation: Calculation, state: Extract<CalculationState, { phase: 'write' }>) {
  if (state.written !== state.holders || state.amountUnits !== state.totals.amount || state.percentUnits !== state.totals.percent) {
    throw new Error(
      `allocation totals do not reconcile: ${state.written}/${state.holders} rows, ` +
        `${state.amountUnits}/${state.totals.amount} amount units, ${state.percentUnits}/${state.totals.percent} percent units`,
    );
  }
  const nav = (await navInForce(trx, calculation.projectId, calculation.recordDate))?.nav_per_token ?? null;
  const totalTokens = fromUnits(state.totals.tokens);
  await trx
    .updateTable('distribution_events')
    .set((eb) => ({
      status: 'calculated',
      snapshot_date: calculation.recordDate,
      snapshot_total_lp_tokens: numeric(totalTokens),
      snapshot_holder_count: state.holders,
      snapshot_hash: state.snapshotHash,
      snapshot_nav: nav === null ? null : numeric(nav),
      total_allocated: numeric(calculation.totalAmount),
      holders_done: state.written,
      calculation_state: null,
      calculated_at: eb.fn('now'),
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', uuid(calculation.eventId))
    .execute();
  await recordDistributionActivity(trx, {
    eventId: calculation.eventId,
    projectId: calculation.projectId,
    activityType: 'allocations_calculated',
    performedBy: calculation.requestedBy,
    previousStatus: 'calculating',
    newStatus: 'calculated',
    changesSummary: {
      total_lp_holders: state.holders,
      total_lp_tokens: totalTokens.toFixed(7),
      total_allocated: calculation.totalAmount.toFixed(7),
      snapshot_date: calculation.recordDate.toISOString(),
      snapshot_hash: state.snapshotHash,
    },
  });
  logger.info('Allocations calculated', { event_id: calculation.eventId, holders: state.holders });
}

async function compareAndSetState(db: Db, eventId: string, from: CalculationState, to: CalculationState): Promise<boolean> {
  const result = await sql`
    UPDATE distribution_events
    SET calculation_state = ${jsonb(storedCalculationState(to))}, updated_at = now()
    WHERE id = ${uuid(eventId)} AND status = 'calculating'
      AND calculation_state = ${jsonb(storedCalculationState(from))}`.execute(db);
  return Number(result.numAffectedRows ?? 0n) === 1;
}

/** Marks a calculation failed with its reason, so an admin can fix the cause and calculate again. */
export async function failCalculation(db: Db, calculation: { eventId: string; projectId: string; requestedBy: string }, reason: string) {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('distribution_events')
      .set((eb) => ({ status: 'failed', failure_reason: reason, calculation_state: null, updated_at: eb.fn('now') }))
      .where('id', '=', uuid(calculation.eventId))
      .where('status', '=', 'calculating')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    await recordDistributionActivity(trx, {
      eventId: calculation.eventId,
      projectId: calculation.projectId,
      activityType: 'calculation_failed',
      performedBy: calculation.requestedBy,
      previousStatus: 'calculating',
      newStatus: 'failed',
      changesSummary: { reason },
    });
  });
  logger.warn('Allocation calculation failed', { event_id: calculation.eventId, reason });
}
