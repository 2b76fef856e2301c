import type { Db } from '../../db/client';
import { toUnits } from './apportionment';
import type { Calculation } from './calculation';
import { tokensAsOf } from './calculation.repository';
import type { GuessedWriteState, SelectState } from './calculation-state';
import { startGuessedWrite } from './guessed-write-pass';
import { noHolders } from './snapshot-pass';

const ONE_HUNDRED_PERCENT = 1_000_000_000n;

/**
 * The first step: Σ tokens as of the record date, from one aggregate of the ledger, which every
 * remainder needs from the first chunk on, and an estimate of the holders. Then, unless told to
 * search for the cut first, a guessed write (guessed-write-pass.ts), which takes the snapshot
 * while it writes; else the cut-search passes, the first of which takes it (and the estimate
 * places its buckets).
 */
export async function startCalculation(db: Db, calculation: Calculation, how: { searchFirst: boolean }): Promise<SelectState | GuessedWriteState> {
  const inIssue = await tokensAsOf(db, calculation.projectId, calculation.recordDate);
  const tokens = toUnits(inIssue.tokens);
  if (tokens <= 0n) throw noHolders(calculation);
  const totals = { tokens, amount: toUnits(calculation.totalAmount), percent: ONE_HUNDRED_PERCENT };
  if (!how.searchFirst) return startGuessedWrite(db, calculation, totals, inIssue.holdersEstimate);
  return { phase: 'select', totals, holdersEstimate: inIssue.holdersEstimate, searches: null };
}
