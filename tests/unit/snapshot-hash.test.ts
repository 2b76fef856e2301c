import { createHash } from 'node:crypto';
import fc from 'fast-check';
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
    const oneByOne = SnapshotHash.start();
    for (const [holderId, balance] of holdings) oneByOne.addHolding(holderId, balance);

    // Act: the first line, saved and resumed, then the other two in one block
    const blocks = SnapshotHash.start();
    blocks.addLines(`${holdings[0][0]}:${holdings[0][1]}\n`);
    const resumed = SnapshotHash.resume(blocks.save());
    resumed.addLines(holdings.slice(1).map(([holderId, balance]) => `${holderId}:${balance}\n`).join(''));

    // Assess: SHA-256 over the lines, as anyone recomputes it from a CSV of the holdings
    const expected = `sha256:${createHash('sha256').update(holdings.map(([h, b]) => `${h}:${b}\n`).join('')).digest('hex')}`;
    expect(resumed.digest()).toBe(expected);
    expect(oneByOne.digest()).toBe(expected);
  });

  it('is SHA-256 of the lines however they are split into calls and saved between them', async () => {
    const line = fc.tuple(fc.uuid(), fc.bigInt({ min: 1n, max: 10n ** 23n })).map(([id, units]) => `${id}:${units}\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { maxLength: 5 }), { maxLength: 12 }), fc.array(fc.boolean()), async (calls, saves) => {
        let hash = SnapshotHash.start();
        for (const [i, lines] of calls.entries()) {
          hash.addLines(lines.join(''));
          if (saves[i]) hash = SnapshotHash.resume(hash.save());
        }
        expect(hash.digest()).toBe(`sha256:${createHash('sha256').update(calls.flat().join('')).digest('hex')}`);
      }),
    );
  });

  it('refuses a saved state of another format, as an earlier build wrote it', async () => {
    // hash-wasm's saved SHA-256 state, base64
    expect(() => SnapshotHash.resume('AQAAAGfmCWqFrme7cvNuPDr1T6V/Ug5RjGgFm6vZgx8ZzeBb')).toThrow(/not a snapshot hash state/);
  });
});
