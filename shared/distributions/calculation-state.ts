import { z } from 'zod';
import type { Cut, CutSearch } from './apportionment';
import type { Dimension, Totals } from './calculation.repository';

/**
 * Where a calculation stands, persisted on the event row (as JSON, big integers as strings) so
 * that any worker can resume it.
 * - `reset`: a recalculation after a failure deletes the previous attempt's rows first.
 * - `snapshot`: pass 1 (Σ balances, holder count, snapshot hash) is to run.
 * - `select`: cut-search passes; `searches` is null before the first one.
 * - `write`: rows are being written; `after` is the last holder written.
 */
export type CalculationState =
  | { phase: 'reset' }
  | { phase: 'snapshot' }
  | { phase: 'select'; totals: Totals; holders: number; snapshotHash: string; searches: Record<Dimension, CutSearch> | null }
  | {
      phase: 'write';
      totals: Totals;
      holders: number;
      snapshotHash: string;
      cuts: Record<Dimension, Cut | null>;
      after: string;
      written: number;
      amountUnits: bigint;
      percentUnits: bigint;
    };

const big = z.string().regex(/^-?\d+$/).transform((text) => BigInt(text));
const totals = z.object({ tokens: big, amount: big, percent: big });
const cut = z.object({ remainder: big, holderId: z.string() });
const search = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('histogram'), lo: big, hi: big, need: big }),
  z.object({ phase: z.literal('gather'), lo: big, hi: big, need: big }),
  z.object({ phase: z.literal('tie-walk'), remainder: big, need: big }),
  z.object({ phase: z.literal('done'), cut: cut.nullable() }),
]);
const searches = z.object({ amount: search, percent: search });

const stateSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('reset') }),
  z.object({ phase: z.literal('snapshot') }),
  z.object({ phase: z.literal('select'), totals, holders: z.number().int(), snapshotHash: z.string(), searches: searches.nullable() }),
  z.object({
    phase: z.literal('write'),
    totals,
    holders: z.number().int(),
    snapshotHash: z.string(),
    cuts: z.object({ amount: cut.nullable(), percent: cut.nullable() }),
    after: z.string(),
    written: z.number().int(),
    amountUnits: big,
    percentUnits: big,
  }),
]);

export function parseCalculationState(value: unknown): CalculationState {
  const json = typeof value === 'string' ? JSON.parse(value) : value;
  return stateSchema.parse(json ?? { phase: 'snapshot' }) as CalculationState;
}

/** The JSON stored for a state: big integers as strings. */
export function storedCalculationState(state: CalculationState): unknown {
  return JSON.parse(JSON.stringify(state, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

export const sameCalculationState = (a: CalculationState, b: CalculationState): boolean =>
  JSON.stringify(storedCalculationState(a)) === JSON.stringify(storedCalculationState(b));
