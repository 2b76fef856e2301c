import * as z from '../../zod';
import type { Cut, CutSearch, Dimension, Tally, Totals } from './apportionment';
import type { CutGuess } from './guessed-cut.repository';
import { STATE_MAX_BYTES } from './calculation-limits';
import { jsonColumnValue } from '../../db/json-columns';

/**
 * Where a calculation stands, persisted on the event row (as JSON, big integers as strings) after
 * every unit of work, so that any worker resumes it where the last one stopped, mid-pass included.
 * - `reset`: a recalculation after a failure deletes the previous attempt's rows first, and so
 *   does a guessed write whose cut fell outside its band (then with `searchFirst`).
 * - `snapshot`: the start: one step sums the tokens in issue as of the record date and, unless
 *   `searchFirst`, estimates where the cut falls and goes straight to a guessed write. `progress`
 *   is only ever in a state saved by an earlier build (a snapshot pass of its own): it starts over.
 * - `select`: cut-search passes; `searches` is null before the first one, `pass` what the
 *   current pass has seen so far (absent: it starts with the next step). The first pass also
 *   takes the snapshot (`pass.snapshot`: holder count, Σ balances, hash so far); `holders` and
 *   `snapshotHash` are known once it is complete.
 * - `write`: rows are being written; `after` is the last holder written. A dimension whose cut
 *   is in a bucket few enough to gather (`gathers`) is gathered by the write pass itself: its
 *   `best` candidates so far, the `need` first of which get their unit once the pass is complete.
 *   With `guess` instead of cuts, the rows are written before the cut is known (guessed-write-pass.ts):
 *   the pass also takes the snapshot, and settles the cut once every row is in.
 *
 * `seq` counts the steps: workers agree through compare-and-set on it (absent in the state a
 * request writes, which is step 0).
 */
export type CalculationState =
  | { phase: 'reset'; seq?: number; searchFirst?: true }
  | { phase: 'snapshot'; seq?: number; progress?: SnapshotProgress; searchFirst?: true }
  | {
      phase: 'select';
      seq?: number;
      totals: Totals;
      /** The holders the project had when the calculation started, for the first pass's buckets (apportionment.ts: firstPassSearch). */
      holdersEstimate?: number;
      holders?: number;
      snapshotHash?: string;
      searches: Record<Dimension, CutSearch> | null;
      pass?: PassProgress;
    }
  | {
      phase: 'write';
      seq?: number;
      totals: Totals;
      holders: number;
      snapshotHash: string;
      cuts: Record<Dimension, Cut | null>;
      /** Absent in a state of an earlier build: no gathers. */
      gathers?: Record<Dimension, PendingGather | null>;
      after: string;
      written: number;
      amountUnits: bigint;
      percentUnits: bigint;
    }
  | GuessedWriteState;

export type SelectState = Extract<CalculationState, { phase: 'select' }>;
/** A write with its cuts known (or left to gather). */
export type WriteState = Exclude<Extract<CalculationState, { phase: 'write' }>, GuessedWriteState>;

/** A write whose cut is guessed: guessed-write-pass.ts. */
export interface GuessedWriteState {
  phase: 'write';
  seq?: number;
  totals: Totals;
  guess: WriteGuess;
  after: string;
  written: number;
  amountUnits: bigint;
  percentUnits: bigint;
}

/**
 * What a guessed write has seen so far: per dimension, the guessed cut with its band, Σ floor,
 * the rows given the unit and the candidates kept below and at or above the guess; and the snapshot.
 */
export interface WriteGuess {
  cuts: Record<Dimension, CutGuess>;
  floorSums: Record<Dimension, bigint>;
  given: Record<Dimension, bigint>;
  keptBelow: Record<Dimension, bigint>;
  keptAbove: Record<Dimension, bigint>;
  snapshot: SnapshotTally;
}

export const isGuessedWrite = (state: CalculationState): state is GuessedWriteState => state.phase === 'write' && 'guess' in state && state.guess !== undefined;

/** What an earlier build's snapshot pass had seen; read only to be started over. */
export interface SnapshotProgress {
  after: string;
  holders: number;
  tokens: bigint;
  hash: string;
}

/** The snapshot the first pass takes: holders and Σ balances (units) so far, the hash's state (snapshot-hash.ts; '' before the first chunk). */
export interface SnapshotTally {
  holders: number;
  tokens: bigint;
  hash: string;
}

/** A cut the write pass gathers (calculation.repository.ts: WriteGather), with its candidates so far. */
export interface PendingGather {
  lo: bigint;
  hi: bigint;
  need: bigint;
  best: Cut[];
}

export interface PassProgress {
  /** Last holder the pass has seen. */
  after: string;
  /** Σ floor so far, on the first pass only (it fixes how many units are left over). */
  floorSums: Record<Dimension, bigint> | null;
  tallies: Record<Dimension, Tally | null>;
  /** On the first pass of a calculation whose snapshot is not yet taken. */
  snapshot?: SnapshotTally;
}

export const seqOf = (state: CalculationState): number => state.seq ?? 0;

const big = z.pipe(
  z.string().check(z.regex(/^-?\d+$/)),
  z.transform((text) => BigInt(text)),
);
const totals = z.object({ tokens: big, amount: big, percent: big });
const cut = z.object({ remainder: big, holderId: z.string() });
const search = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('histogram'), lo: big, hi: big, need: big, band: z.optional(z.object({ lo: big, hi: big })) }),
  z.object({ phase: z.literal('gather'), lo: big, hi: big, need: big }),
  z.object({ phase: z.literal('tie-walk'), remainder: big, need: big }),
  z.object({ phase: z.literal('done'), cut: z.nullable(cut) }),
]);
const perDimension = <T extends z.ZodMiniType>(schema: T) => z.object({ amount: schema, percent: schema });

// Tallies are stored as flat text ("3,,12" counts; "remainder:holder,…" candidates): the most
// compact JSON, and text that Postgres's jsonb output and the Data API's JSON leave as it is.
const counts = z.pipe(
  z.string(),
  z.transform((text) => text.split(',').map((count) => (count === '' ? 0n : BigInt(count)))),
);
const candidates = z.pipe(
  z.string(),
  z.transform((text): Cut[] =>
    text === ''
      ? []
      : text.split(',').map((entry) => {
          const [remainder = '', holderId = ''] = entry.split(':');
          return { remainder: BigInt(remainder), holderId };
        }),
  ),
);
const tally = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('histogram'), counts, min: z.nullable(big), max: z.nullable(big) }),
  z.object({ kind: z.literal('gather'), best: candidates }),
  z.object({ kind: z.literal('tie-walk'), seen: big }),
]);
const seq = z.optional(z.number().check(z.int(), z.gte(0)));
const searchFirst = z.optional(z.literal(true));
const snapshotTally = z.object({ holders: z.number().check(z.int()), tokens: big, hash: z.string() });

const stateSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('reset'), seq, searchFirst }),
  z.object({
    phase: z.literal('snapshot'),
    seq,
    searchFirst,
    progress: z.optional(z.object({ after: z.string(), holders: z.number().check(z.int()), tokens: big, hash: z.string() })),
  }),
  z.object({
    phase: z.literal('select'),
    seq,
    totals,
    holdersEstimate: z.optional(z.number().check(z.int(), z.gte(0))),
    holders: z.optional(z.number().check(z.int())),
    snapshotHash: z.optional(z.string()),
    searches: z.nullable(perDimension(search)),
    pass: z.optional(
      z.object({
        after: z.string(),
        floorSums: z.nullable(perDimension(big)),
        tallies: perDimension(z.nullable(tally)),
        snapshot: z.optional(snapshotTally),
      }),
    ),
  }),
  // One schema for both kinds of write (a discriminated union takes one option a phase): a guess, or the cuts with the snapshot.
  z
    .object({
      phase: z.literal('write'),
      seq,
      totals,
      holders: z.optional(z.number().check(z.int())),
      snapshotHash: z.optional(z.string()),
      cuts: z.optional(perDimension(z.nullable(cut))),
      gathers: z.optional(perDimension(z.nullable(z.object({ lo: big, hi: big, need: big, best: candidates })))),
      guess: z.optional(
        z.object({
          cuts: perDimension(z.object({ lo: big, at: big, hi: big })),
          floorSums: perDimension(big),
          given: perDimension(big),
          keptBelow: perDimension(big),
          keptAbove: perDimension(big),
          snapshot: snapshotTally,
        }),
      ),
      after: z.string(),
      written: z.number().check(z.int()),
      amountUnits: big,
      percentUnits: big,
    })
    .check(
      z.refine(
        (write) => (write.guess === undefined) === (write.holders !== undefined && write.snapshotHash !== undefined && write.cuts !== undefined),
        'a write state has either a guess or its holders, snapshot hash and cuts',
      ),
    ),
]);

export function parseCalculationState(value: unknown): CalculationState {
  return stateSchema.parse(jsonColumnValue(value) ?? { phase: 'snapshot' }) as CalculationState;
}

const flatCandidates = (best: readonly Cut[]) => best.map((c) => `${c.remainder}:${c.holderId}`).join(',');

function storedTally(value: Tally): unknown {
  switch (value.kind) {
    case 'histogram':
      return { ...value, counts: value.counts.map((count) => (count === 0n ? '' : count.toString())).join(',') };
    case 'gather':
      return { kind: 'gather', best: flatCandidates(value.best) };
    case 'tie-walk':
      return value;
  }
}

export class CalculationStateTooLarge extends Error {}

/**
 * The JSON stored for a state: big integers as strings, tallies as flat text. Refuses a state
 * over STATE_MAX_BYTES: the limits are derived so that this cannot happen.
 */
export function storedCalculationState(state: CalculationState): unknown {
  const gatherOf = (gather: PendingGather | null) => gather && { ...gather, best: flatCandidates(gather.best) };
  const withFlatTallies =
    state.phase === 'write' && 'gathers' in state && state.gathers !== undefined
      ? { ...state, gathers: { amount: gatherOf(state.gathers.amount), percent: gatherOf(state.gathers.percent) } }
      : state.phase === 'select' && state.pass !== undefined
      ? {
          ...state,
          pass: {
            ...state.pass,
            tallies: {
              amount: state.pass.tallies.amount && storedTally(state.pass.tallies.amount),
              percent: state.pass.tallies.percent && storedTally(state.pass.tallies.percent),
            },
          },
        }
      : state;
  const text = JSON.stringify(withFlatTallies, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  if (text.length > STATE_MAX_BYTES) {
    throw new CalculationStateTooLarge(`the calculation state takes ${text.length} bytes, over its ${STATE_MAX_BYTES}`);
  }
  return JSON.parse(text);
}
