import { describe, expect, it } from 'vitest';
import { permanentFailureReason } from '../../shared/distributions/calculation/calculation';
import { STATE_MAX_BYTES } from '../../shared/distributions/calculation/calculation-limits';
import {
  type CalculationState,
  CalculationStateTooLarge,
  parseCalculationState,
  seqOf,
  storedCalculationState,
} from '../../shared/distributions/calculation/calculation-state';

const holder = '0f8fad5b-d9cb-469f-a165-70867728950e';
const totals = { tokens: 30_000_000n, amount: 1_000_000_000n, percent: 1_000_000_000n };

describe('the calculation state', () => {
  it.each([
    ['the start a request writes', { phase: 'snapshot' }],
    ['a recalculation after a failure', { phase: 'reset' }],
    ['a snapshot pass of the previous release, mid-way', { phase: 'snapshot', progress: { after: holder, holders: 2, tokens: '6', hash: 'AAAA' } }],
    [
      'a first pass that takes the snapshot, mid-way',
      {
        phase: 'select',
        totals: { tokens: '30000000', amount: '1000000000', percent: '1000000000' },
        searches: null,
        pass: {
          after: holder,
          floorSums: { amount: '5', percent: '7' },
          tallies: { amount: { kind: 'histogram', counts: ',1', min: '3', max: '4' }, percent: { kind: 'histogram', counts: '1,', min: '1', max: '1' } },
          snapshot: { holders: 2, tokens: '20000000', hash: 'AAAA' },
        },
      },
    ],
    [
      'a cut search of the previous release, between passes',
      {
        phase: 'select',
        totals: { tokens: '30000000', amount: '1000000000', percent: '1000000000' },
        holders: 3,
        snapshotHash: 'sha256:00',
        searches: { amount: { phase: 'histogram', lo: '0', hi: '30000000', need: '2' }, percent: { phase: 'done', cut: null } },
      },
    ],
  ])('reads %s, at step 0', (_what, stored) => {
    const state = parseCalculationState(stored);
    expect(state.phase).toBe(stored.phase);
    expect(seqOf(state)).toBe(0);
  });

  it('stores tallies as flat text and reads them back unchanged', () => {
    // Prepare
    const state: CalculationState = {
      phase: 'select',
      seq: 7,
      totals,
      holders: 3,
      snapshotHash: 'sha256:00',
      searches: {
        amount: { phase: 'histogram', lo: 0n, hi: 30_000_000n, need: 2n },
        percent: { phase: 'gather', lo: 5n, hi: 900n, need: 2n },
      },
      pass: {
        after: holder,
        floorSums: null,
        tallies: {
          amount: { kind: 'histogram', counts: [0n, 3n, 0n, 12n], min: 4n, max: 29_999_999n },
          percent: { kind: 'gather', best: [{ remainder: 800n, holderId: holder }, { remainder: 6n, holderId: holder }] },
        },
      },
    };

    // Act
    const stored = storedCalculationState(state) as { pass: { tallies: unknown } };

    // Assess
    expect(stored.pass.tallies).toEqual({
      amount: { kind: 'histogram', counts: ',3,,12', min: '4', max: '29999999' },
      percent: { kind: 'gather', best: `800:${holder},6:${holder}` },
    });
    expect(parseCalculationState(JSON.stringify(stored))).toEqual(state);
  });

  it('refuses a state over its budget rather than send it', () => {
    const state: CalculationState = { phase: 'snapshot', progress: { after: holder, holders: 1, tokens: 1n, hash: 'x'.repeat(STATE_MAX_BYTES) } };
    expect(() => storedCalculationState(state)).toThrow(CalculationStateTooLarge);
  });
});

describe('the reason a calculation is stopped by the database', () => {
  const overflow = 'numeric field overflow';
  const detail = 'A field with precision 20, scale 7 must round to an absolute value less than 10^13.';

  it.each([
    ['pg', Object.assign(new Error(overflow), { code: '22003', severity: 'ERROR', detail })],
    ['the Data API', Object.assign(new Error(`ERROR: ${overflow}\n  Detail: ${detail}\n  Position: 12; SQLState: 22003`), { name: 'DatabaseErrorException' })],
  ])('reads the same from %s', (_from, error) => {
    expect(permanentFailureReason(error)).toBe(
      `The database refused the calculation: ${overflow}. ${detail} (SQLSTATE 22003) Retrying cannot help: correct the data, then calculate again.`,
    );
  });

  it('stays short enough to show', () => {
    const long = Object.assign(new Error('x'.repeat(10_000)), { code: '22001', severity: 'ERROR' });
    expect(permanentFailureReason(long).length).toBeLessThanOrEqual(1_000);
  });
});
