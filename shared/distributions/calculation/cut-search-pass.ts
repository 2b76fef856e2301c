import type { Db } from '../../db/client';
import {
  addCandidates,
  addHistogram,
  type CutSearch,
  cutFromCandidates,
  type Dimension,
  emptyTally,
  firstPassSearch,
  narrow,
  type SearchLimits,
  startCutSearch,
  type Tally,
  walkTies,
} from './apportionment';
import { type Calculation, scopeOf } from './calculation';
import {
  type CandidateRequest,
  FIRST_HOLDER,
  type HistogramRequest,
  readCandidates,
  readHistograms,
  readTies,
  type StateSave,
  type TieRequest,
} from './calculation.repository';
import { firstPassHoldersPerStatement } from './calculation-limits';
import type { CalculationState, PassProgress, SelectState } from './calculation-state';
import { concludeSnapshot, emptySnapshot, readFirstPassChunk } from './snapshot-pass';

const DIMENSIONS: readonly Dimension[] = ['amount', 'percent'];

const perDimension = <T>(make: (dimension: Dimension) => T): Record<Dimension, T> => ({ amount: make('amount'), percent: make('percent') });

/**
 * A gather keeps its `need` best candidates, so it runs only while `need` is within the gather
 * limit; one that is not (a state from a build with other limits) histograms the interval instead.
 */
function withinLimits(search: CutSearch, limits: SearchLimits): CutSearch {
  return search.phase === 'gather' && search.need > limits.gatherLimit ? { ...search, phase: 'histogram' } : search;
}

const TALLY_OF: Record<CutSearch['phase'], Tally['kind'] | null> = { histogram: 'histogram', gather: 'gather', 'tie-walk': 'tie-walk', done: null };

/**
 * Whether a pass in progress was started for these searches (a change of limits between steps
 * can turn a gather into a histogram) and takes the snapshot if it is still to be taken.
 */
const passFits = (pass: PassProgress, searches: Record<Dimension, CutSearch>, snapshotting: boolean) =>
  DIMENSIONS.every((dimension) => (pass.tallies[dimension]?.kind ?? null) === TALLY_OF[searches[dimension].phase]) &&
  (pass.snapshot !== undefined) === snapshotting;

function startPass(searches: Record<Dimension, CutSearch>, first: boolean, snapshotting: boolean, limits: SearchLimits): PassProgress {
  return {
    after: FIRST_HOLDER,
    floorSums: first ? { amount: 0n, percent: 0n } : null,
    tallies: perDimension((dimension) => emptyTally(searches[dimension], limits)),
    ...(snapshotting ? { snapshot: emptySnapshot() } : {}),
  };
}

/**
 * One step of a cut-search pass: the next chunk's histograms, candidates or ties for every
 * dimension still searching, added to the pass's tallies. Returns the state that records them;
 * after the last holder (or once every search is done) it concludes the pass: the next pass's
 * searches, or the write state once each cut is known or left to gather (the write pass
 * gathers it). 'out-of-time' when a second statement
 * of the step would start without the time for it (the step is then done again later).
 *
 * `save`, the state the previous first-pass chunk left, is saved by this chunk's first-pass read;
 * 'stale' when it was not (another worker moved first), and the chunk read is dropped.
 */
export async function cutSearchStep(
  db: Db,
  calculation: Calculation,
  state: SelectState,
  options: { holdersPerStatement: number; limits: SearchLimits; hasTimeLeft: () => boolean; save?: StateSave | null },
): Promise<CalculationState | 'out-of-time' | 'stale'> {
  const save = options.save ?? null;
  // The first pass also takes the snapshot (a state of an earlier build has it already).
  const snapshotting = state.snapshotHash === undefined;
  const first = state.searches === null || snapshotting;
  const firstPass = () => firstPassSearch(state.totals.tokens, state.holdersEstimate ?? null, options.limits);
  const searches = perDimension((d) => withinLimits(state.searches?.[d] ?? firstPass(), options.limits));
  const pass =
    state.pass !== undefined && passFits(state.pass, searches, snapshotting) ? state.pass : startPass(searches, first, snapshotting, options.limits);
  const tallies = { ...pass.tallies };
  const floorSums = pass.floorSums === null ? null : { ...pass.floorSums };
  let snapshot = pass.snapshot;

  const histogramRequests: HistogramRequest[] = [];
  const candidateRequests: CandidateRequest[] = [];
  const tieRequests: TieRequest[] = [];
  for (const dimension of DIMENSIONS) {
    const search = searches[dimension];
    const tally = tallies[dimension];
    if (search.phase === 'histogram' && tally?.kind === 'histogram') {
      histogramRequests.push({ dimension, lo: search.lo, hi: search.hi, buckets: tally.counts.length, ...(search.band ? { band: search.band } : {}) });
    } else if (search.phase === 'gather' && tally?.kind === 'gather') {
      candidateRequests.push({ dimension, lo: search.lo, hi: search.hi, need: search.need });
    } else if (search.phase === 'tie-walk' && tally?.kind === 'tie-walk') {
      tieRequests.push({ dimension, remainder: search.remainder, nth: search.need - tally.seen });
    }
  }

  // Every statement of the step covers the same chunk, so they agree on its last holder. Each is
  // a statement of its own (one per kind of search), and none starts without the time for it.
  const scope = scopeOf(calculation, pass.after, options.holdersPerStatement);
  // Only a first-pass chunk that follows another in one invocation is given a state to save.
  if (save !== null && (snapshot === undefined || histogramRequests.length === 0)) throw new Error('a state to save without a first-pass read to carry it');
  let lastHolderId: string | null = null;
  let statements = 0;
  const mayStart = () => statements++ === 0 || options.hasTimeLeft();
  if (histogramRequests.length > 0) {
    if (!mayStart()) return 'out-of-time';
    let chunk: Awaited<ReturnType<typeof readHistograms>>;
    if (snapshot !== undefined) {
      const size = firstPassHoldersPerStatement(options.holdersPerStatement);
      const read = await readFirstPassChunk(db, calculation, { after: pass.after, size, totals: state.totals, snapshot }, histogramRequests, save);
      if (read === null) return { ...state, pass: undefined };
      if (read.chunk.saved === false) return 'stale';
      ({ chunk, snapshot } = read);
    } else {
      chunk = await readHistograms(db, scope, state.totals, histogramRequests, floorSums !== null);
    }
    lastHolderId = chunk.lastHolderId;
    for (const { dimension } of histogramRequests) {
      const tally = tallies[dimension] as Extract<Tally, { kind: 'histogram' }>;
      tallies[dimension] = addHistogram(tally, chunk.histograms.get(dimension) ?? { counts: new Map(), min: null, max: null });
      if (floorSums !== null) floorSums[dimension] += chunk.floorSums.get(dimension) ?? 0n;
    }
  }
  if (candidateRequests.length > 0) {
    if (!mayStart()) return 'out-of-time';
    const chunk = await readCandidates(db, scope, state.totals, candidateRequests);
    lastHolderId = chunk.lastHolderId;
    for (const { dimension, need } of candidateRequests) {
      const tally = tallies[dimension] as Extract<Tally, { kind: 'gather' }>;
      tallies[dimension] = addCandidates(tally, chunk.candidates.get(dimension) ?? [], need);
    }
  }
  if (tieRequests.length > 0) {
    if (!mayStart()) return 'out-of-time';
    const chunk = await readTies(db, scope, state.totals, tieRequests);
    lastHolderId = chunk.lastHolderId;
    for (const { dimension } of tieRequests) {
      const search = searches[dimension] as Extract<CutSearch, { phase: 'tie-walk' }>;
      const walked = walkTies(search, tallies[dimension] as Extract<Tally, { kind: 'tie-walk' }>, chunk.ties.get(dimension) ?? { tied: 0n, nth: null });
      searches[dimension] = walked.search;
      tallies[dimension] = walked.tally;
    }
  }

  const searching = DIMENSIONS.some((dimension) => searches[dimension].phase !== 'done');
  const progress: PassProgress = { after: lastHolderId ?? pass.after, floorSums, tallies, ...(snapshot === undefined ? {} : { snapshot }) };
  if (lastHolderId !== null && (searching || snapshot !== undefined)) return { ...state, searches, pass: progress };
  return concludePass(calculation, state, searches, progress, options.limits);
}

/** What a complete pass tells each search: where to look next, or its cut; the first pass also concludes the snapshot. */
function concludePass(
  calculation: Calculation,
  state: SelectState,
  searches: Record<Dimension, CutSearch>,
  pass: PassProgress,
  limits: SearchLimits,
): CalculationState {
  const { holders, snapshotHash } = pass.snapshot === undefined ? state : concludeSnapshot(calculation, state.totals, pass.snapshot);
  if (holders === undefined || snapshotHash === undefined) throw new Error('a cut-search pass concluded before the snapshot was taken');
  const next = perDimension((dimension): CutSearch => {
    let search = searches[dimension];
    const tally = pass.tallies[dimension];
    if (pass.floorSums !== null) {
      if (search.phase !== 'histogram') throw new Error(`the first pass of ${dimension} concluded as a ${search.phase}`);
      search = startCutSearch(state.totals[dimension] - pass.floorSums[dimension], search);
    }
    if (search.phase === 'histogram' && tally?.kind === 'histogram') return narrow(search, tally, limits);
    if (search.phase === 'gather' && tally?.kind === 'gather') return cutFromCandidates(search, tally);
    if (search.phase === 'tie-walk') throw new Error(`tie-walk for ${dimension} ran past the last holder`);
    return search;
  });
  // A cut left to gather is gathered by the write pass itself: one read of every holder fewer.
  const writable = (search: CutSearch) => search.phase === 'done' || search.phase === 'gather';
  if (writable(next.amount) && writable(next.percent)) {
    const cutOf = (search: CutSearch) => (search.phase === 'done' ? search.cut : null);
    const gatherOf = (search: CutSearch) => (search.phase === 'gather' ? { lo: search.lo, hi: search.hi, need: search.need, best: [] } : null);
    return {
      phase: 'write',
      totals: state.totals,
      holders,
      snapshotHash,
      cuts: { amount: cutOf(next.amount), percent: cutOf(next.percent) },
      gathers: { amount: gatherOf(next.amount), percent: gatherOf(next.percent) },
      after: FIRST_HOLDER,
      written: 0,
      amountUnits: 0n,
      percentUnits: 0n,
    };
  }
  return { phase: 'select', totals: state.totals, holders, snapshotHash, searches: next };
}
