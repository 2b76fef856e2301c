import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SnapshotHash } from '../../shared/distributions/calculation/snapshot-hash';

const holdings = [
  ['0f8fad5b-d9cb-469f-a165-70867728950e', '3.0000000'],
  ['7c9e6679-7425-40de-944b-e07fc1f90ae7', '0.0000002'],
  ['e4eaaaf2-d142-11e1-b3e4-080027620cdd', '1234567.8901234'],
] as const;

describe('the snapshot hash', () => {
  it('is the same whether lines are added one by one or in blocks, across a save and resume', async () => {
    // Prepare: one holder at a time
    const oneByOne = await SnapshotHash.start();
    for (const [holderId, balance] of holdings) oneByOne.addHolding(holderId, balance);

    // Act: the first line, saved and resumed, then the other two in one block
    const blocks = await SnapshotHash.start();
    blocks.addLines(`${holdings[0][0]}:${holdings[0][1]}\n`);
    const resumed = await SnapshotHash.resume(blocks.save());
    resumed.addLines(holdings.slice(1).map(([holderId, balance]) => `${holderId}:${balance}\n`).join(''));

    // Assess: SHA-256 over the lines, as anyone recomputes it from a CSV of the holdings
    const expected = `sha256:${createHash('sha256').update(holdings.map(([h, b]) => `${h}:${b}\n`).join('')).digest('hex')}`;
    expect(resumed.digest()).toBe(expected);
    expect(oneByOne.digest()).toBe(expected);
  });
});
