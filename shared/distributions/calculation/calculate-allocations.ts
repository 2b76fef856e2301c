import type { Db } from '../../db/client';
import { isPermanentDatabaseError } from '../../db/database-errors';
import { Decimal } from '../../decimal';
import { logger } from '../../logger';
import type { SearchLimits } from './apportionment';
import { type Calculation, CalculationFailure, permanentFailureReason } from './calculation';
import { type CalculationStep, deleteAllocationsChunk, findCalculationEvent, saveCalculationState, type StateSave } from './calculation.repository';
import { searchLimitsFor } from './calculation-limits';
import { type CalculationState, isGuessedWrite, parseCalculationState, seqOf, storedCalculationState } from './calculation-state';
import { cutSearchStep } from './cut-search-pass';
import { deleteCutCandidatesChunk } from './guessed-cut.repository';
import { guessedWriteStep } from './guessed-write-pass';
import { startCalculation } from './start-calculation';
import { writeStep } from './write-pass';
import { failCalculation } from './fail-calculation';

export interface CalculationOptions {
  /** Holders per statement that aggregates or writes (row-returning reads take fewer: calculation-limits.ts). */
  chunkSize: number;
  /** False once the invocation should stop and hand over to a continuation message. */
  hasTimeLeft: () => boolean;
  /** Histogram width and gather limit of the cut search (tests narrow them to force more passes). */
  searchLimits?: SearchLimits;
}

export type CalculationOutcome = 'calculated' | 'failed' | 'paused' | 'not-calculating';

interface Loaded {
  calculation: Calculation;
  state: CalculationState;
}

async function load(db: Db, eventId: string): Promise<Loaded | undefined> {
  const event = await findCalculationEvent(db, eventId);
  if (event === undefined || event.status !== 'calculating') return undefined;
  return {
    calculation: {
      eventId,
      projectId: event.project_id,
      recordDate: event.distribution_date,
      totalAmount: new Decimal(event.total_amount),
      requestedBy: event.calculation_requested_by ?? event.created_by,
      requestedAt: event.calculation_requested_at,
    },
    state: parseCalculationState(event.calculation_state),
  };
}

const stepOf = ({ calculation, state }: Loaded): CalculationStep => ({
  eventId: calculation.eventId,
  requestedAt: calculation.requestedAt,
  seq: seqOf(state),
});

/**
 * Calculates the allocations of an event in `calculating` as far as time allows, one unit of
 * work at a time: the sum of the tokens in issue, a chunk of a cut-search pass (the first also
 * takes the snapshot) or of the write pass. Each unit ends by persisting its progress on the
 * event row atomically (the read passes by compare-and-set of the state, a first-pass chunk's in
 * the statement of the next chunk, the write pass in the transaction that inserts the rows), so
 * any worker (a retry, a redelivery, a continuation, or one that replaces a worker killed at any
 * point) resumes where the last unit ended, mid-pass included; two workers on one event agree on
 * one set of rows.
 *
 * The time left is checked before every statement that could run long (a chunk's read or
 * insert) except in the first unit of an invocation, which runs whole so that each delivery
 * makes progress; with a margin of at least a statement timeout and a commit, no statement
 * outlives the invocation.
 *
 * A database error that retrying cannot cure (isPermanentDatabaseError) fails the event at once
 * with the database's reason.
 */
export async function calculateAllocations(db: Db, eventId: string, options: CalculationOptions): Promise<CalculationOutcome> {
  let loaded = await load(db, eventId);
  // A first-pass chunk's state, saved by the next chunk's statement (or here, before pausing: the
  // time check after its unit said there was time for another, so the margin covers this save).
  let unsaved: StateSave | null = null;
  const pause = async (): Promise<'paused'> => {
    if (unsaved !== null) await saveCalculationState(db, unsaved.step, unsaved.state);
    return 'paused';
  };
  for (let units = 0; ; units += 1) {
    if (loaded === undefined) return 'not-calculating';
    if (units > 0 && !options.hasTimeLeft()) return pause();
    const { calculation } = loaded;
    // The first unit of an invocation runs whole, so that every delivery makes progress.
    const hasTimeLeft = units === 0 ? () => true : options.hasTimeLeft;
    try {
      const save = unsaved;
      unsaved = null;
      const next = await step(db, loaded, { ...options, hasTimeLeft }, save);
      if (next === 'calculated') return 'calculated';
      if (next === 'out-of-time') {
        unsaved = save;
        return pause();
      }
      if (next === 'stale') loaded = await load(db, eventId);
      else {
        loaded = { calculation, state: next.state };
        unsaved = next.unsaved;
        // Left to the next unit only while there is time for it; otherwise saved now, as the unit's last statement.
        if (unsaved !== null && !options.hasTimeLeft()) {
          const saved = await saveCalculationState(db, unsaved.step, unsaved.state);
          unsaved = null;
          if (!saved) loaded = await load(db, eventId);
        }
      }
    } catch (error) {
      if (error instanceof CalculationFailure) {
        await failCalculation(db, calculation, error.message);
        return 'failed';
      }
      if (isPermanentDatabaseError(error)) {
        logger.error('Calculation stopped by a database error that retrying cannot cure', error as Error);
        await failCalculation(db, calculation, permanentFailureReason(error));
        return 'failed';
      }
      throw error;
    }
  }
}

type Moved = { state: CalculationState; unsaved: StateSave | null };

/** Mid-way through the first pass: the next unit is its next chunk, whose statement can save this state. */
const isMidFirstPass = (state: CalculationState) => state.phase === 'select' && state.snapshotHash === undefined && state.pass?.snapshot !== undefined;

/**
 * One unit of work: the state it moved to (with `unsaved`, the save the next unit's statement
 * makes), 'stale' when another worker moved first, 'out-of-time' when it stopped before a
 * statement it had no time for, or 'calculated'. `save`, the previous unit's unsaved state, rides
 * in this unit's first-pass read.
 */
async function step(db: Db, loaded: Loaded, options: CalculationOptions, save: StateSave | null): Promise<Moved | 'stale' | 'out-of-time' | 'calculated'> {
  const { calculation, state } = loaded;
  const at = stepOf(loaded);
  if (state.phase === 'write') {
    const writing = { holdersPerStatement: options.chunkSize, hasTimeLeft: options.hasTimeLeft };
    const outcome = isGuessedWrite(state) ? await guessedWriteStep(db, calculation, at, state, writing) : await writeStep(db, calculation, at, state, writing);
    return outcome.kind === 'moved' ? { state: outcome.state, unsaved: null } : outcome.kind;
  }
  if (state.phase === 'reset') {
    // Deleting is idempotent: the state moves on only once nothing is left.
    if ((await deleteCutCandidatesChunk(db, at, options.chunkSize)) > 0) return { state, unsaved: null };
    if ((await deleteAllocationsChunk(db, at, options.chunkSize)) > 0) return { state, unsaved: null };
  }
  const next = await readStep(db, calculation, state, options, save);
  if (next === 'out-of-time' || next === 'stale') return next;
  const stored = { ...next, seq: at.seq + 1 };
  const unsaved = { step: at, state: storedCalculationState(stored) };
  if (isMidFirstPass(stored)) return { state: stored, unsaved };
  return (await saveCalculationState(db, at, unsaved.state)) ? { state: stored, unsaved: null } : 'stale';
}

/** The state a read unit moves to; it persists nothing itself. */
async function readStep(
  db: Db,
  calculation: Calculation,
  state: Exclude<CalculationState, { phase: 'write' }>,
  options: CalculationOptions,
  save: StateSave | null,
): Promise<CalculationState | 'out-of-time' | 'stale'> {
  switch (state.phase) {
    case 'reset':
      return { phase: 'snapshot', ...(state.searchFirst ? { searchFirst: true } : {}) };
    case 'snapshot':
      return startCalculation(db, calculation, { searchFirst: state.searchFirst === true });
    case 'select':
      return cutSearchStep(db, calculation, state, {
        holdersPerStatement: options.chunkSize,
        limits: options.searchLimits ?? searchLimitsFor(state.totals, state.holders ?? null, options.chunkSize),
        hasTimeLeft: options.hasTimeLeft,
        save,
      });
  }
}
