import { describe, expect, it } from 'vitest';
import { MAX_HOLDERS_PER_STATEMENT } from '../../shared/config';
import { parseCalculationState } from '../../shared/distributions/calculation/calculation-state';
import { sampledHolders, unitsToMove } from '../../shared/distributions/calculation/guessed-write-pass';

const totals = { tokens: 1_000n, amount: 100n, percent: 1_000_000_000n };
const guessOf = (amount: { floorSum: bigint; given: bigint; keptBelow: bigint; keptAbove: bigint }) => ({
  cuts: { amount: { lo: 400n, at: 500n, hi: 600n }, percent: { lo: 400n, at: 500n, hi: 600n } },
  floorSums: { amount: amount.floorSum, percent: totals.percent },
  given: { amount: amount.given, percent: 0n },
  keptBelow: { amount: amount.keptBelow, percent: 0n },
  keptAbove: { amount: amount.keptAbove, percent: 0n },
  snapshot: { holders: 10, tokens: 1_000n, hash: '' },
});

describe('a guessed write', () => {
  it('samples about holders^⅔ holders, at least 1,000 and at most a statement’s', () => {
    expect([10, 100_000, 1_000_000, 100_000_000].map(sampledHolders)).toEqual([1_000, 10_656, 49_461, MAX_HOLDERS_PER_STATEMENT]);
  });

  it.each([
    // 100 − 90 = 10 units left over, of which 4 were given: 6 more, to candidates below the guess
    { case: 'below its guess', given: 4n, keptBelow: 7n, keptAbove: 5n, units: 6n },
    { case: 'at its guess', given: 10n, keptBelow: 7n, keptAbove: 5n, units: 0n },
    { case: 'above its guess', given: 13n, keptBelow: 7n, keptAbove: 5n, units: -3n },
    { case: 'at the band’s bottom', given: 3n, keptBelow: 7n, keptAbove: 5n, units: 7n },
    { case: 'at the band’s top', given: 15n, keptBelow: 7n, keptAbove: 5n, units: -5n },
    { case: 'below the band', given: 2n, keptBelow: 7n, keptAbove: 5n, units: null },
    { case: 'above the band', given: 16n, keptBelow: 7n, keptAbove: 5n, units: null },
  ])('moves the units of a true cut $case', ({ given, keptBelow, keptAbove, units }) => {
    expect(unitsToMove(totals, guessOf({ floorSum: 90n, given, keptBelow, keptAbove }))).toEqual({ amount: units, percent: 0n });
  });

  it('moves no more units than one statement changes, however many candidates', () => {
    const many = BigInt(MAX_HOLDERS_PER_STATEMENT) + 1n;
    const wide = { tokens: 10n ** 12n, amount: many, percent: 0n };
    const guess = { ...guessOf({ floorSum: 0n, given: 0n, keptBelow: many, keptAbove: 0n }), floorSums: { amount: 0n, percent: 0n } };
    expect(unitsToMove(wide, guess).amount).toBeNull();
  });

  it('reads back a stored guessed write, and refuses a write with neither a guess nor its cuts', () => {
    const stored = {
      phase: 'write',
      seq: 3,
      totals: { tokens: '1000', amount: '100', percent: '1000000000' },
      guess: {
        cuts: { amount: { lo: '400', at: '500', hi: '600' }, percent: { lo: '0', at: '0', hi: '1000' } },
        floorSums: { amount: '90', percent: '0' },
        given: { amount: '4', percent: '0' },
        keptBelow: { amount: '7', percent: '0' },
        keptAbove: { amount: '5', percent: '10' },
        snapshot: { holders: 10, tokens: '1000', hash: '' },
      },
      after: '00000000-0000-0000-0000-000000000000',
      written: 10,
      amountUnits: '94',
      percentUnits: '0',
    };
    expect(parseCalculationState(stored)).toMatchObject({ phase: 'write', guess: { keptBelow: { amount: 7n }, keptAbove: { percent: 10n } } });
    const { guess: _guess, ...neither } = stored;
    expect(() => parseCalculationState(neither)).toThrow(/either a guess or its holders/);
  });
});
