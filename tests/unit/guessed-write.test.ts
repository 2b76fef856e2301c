import { describe, expect, it } from 'vitest';
import { MAX_HOLDERS_PER_STATEMENT } from '../../shared/config';
import { parseCalculationState } from '../../shared/distributions/calculation/calculation-state';
import { candidatesReached, sampledHolders } from '../../shared/distributions/calculation/guessed-write-pass';

const totals = { tokens: 1_000n, amount: 100n, percent: 1_000_000_000n };
const guessOf = (dimension: { floorSum: bigint; above: bigint; candidates: bigint }) => ({
  bands: { amount: { lo: 400n, hi: 600n }, percent: { lo: 400n, hi: 600n } },
  floorSums: { amount: dimension.floorSum, percent: totals.percent },
  above: { amount: dimension.above, percent: 0n },
  candidates: { amount: dimension.candidates, percent: 0n },
  snapshot: { holders: 10, tokens: 1_000n, hash: '' },
});

describe('a guessed write', () => {
  it('samples about holders^⅔ holders, at least 1,000 and at most a statement’s', () => {
    expect([10, 100_000, 1_000_000, 100_000_000].map(sampledHolders)).toEqual([1_000, 10_656, 49_461, MAX_HOLDERS_PER_STATEMENT]);
  });

  it.each([
    // 100 − 90 = 10 units left over, of which 4 went above the band: 6 of the candidates get one
    { case: 'within the band', floorSum: 90n, above: 4n, candidates: 7n, reached: 6n },
    { case: 'at the band’s top (no candidate reached)', floorSum: 90n, above: 10n, candidates: 7n, reached: 0n },
    { case: 'at the band’s bottom (every candidate reached)', floorSum: 90n, above: 3n, candidates: 7n, reached: 7n },
    { case: 'above the band (more units given than left over)', floorSum: 90n, above: 11n, candidates: 7n, reached: null },
    { case: 'below the band (more units left than candidates)', floorSum: 90n, above: 2n, candidates: 7n, reached: null },
  ])('settles a cut $case', ({ floorSum, above, candidates, reached }) => {
    expect(candidatesReached(totals, guessOf({ floorSum, above, candidates }))).toEqual({ amount: reached, percent: 0n });
  });

  it('does not settle more units than one statement gives, however many candidates', () => {
    const many = BigInt(MAX_HOLDERS_PER_STATEMENT) + 1n;
    const wide = { tokens: 10n ** 12n, amount: many, percent: 0n };
    expect(candidatesReached(wide, { ...guessOf({ floorSum: 0n, above: 0n, candidates: many }), floorSums: { amount: 0n, percent: 0n } }).amount).toBeNull();
  });

  it('reads back a stored guessed write, and refuses a write with neither a guess nor its cuts', () => {
    const stored = {
      phase: 'write',
      seq: 3,
      totals: { tokens: '1000', amount: '100', percent: '1000000000' },
      guess: {
        bands: { amount: { lo: '400', hi: '600' }, percent: { lo: '0', hi: '1000' } },
        floorSums: { amount: '90', percent: '0' },
        above: { amount: '4', percent: '0' },
        candidates: { amount: '7', percent: '10' },
        snapshot: { holders: 10, tokens: '1000', hash: '' },
      },
      after: '00000000-0000-0000-0000-000000000000',
      written: 10,
      amountUnits: '94',
      percentUnits: '0',
    };
    expect(parseCalculationState(stored)).toMatchObject({ phase: 'write', guess: { candidates: { amount: 7n, percent: 10n } } });
    const { guess: _guess, ...neither } = stored;
    expect(() => parseCalculationState(neither)).toThrow(/either a guess or its holders/);
  });
});
