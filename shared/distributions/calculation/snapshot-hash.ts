import type { IHasher } from 'hash-wasm';
import sha256Build from 'hash-wasm/dist/sha256.umd.min.js';

const { createSHA256 } = sha256Build;

/**
 * The snapshot hash: SHA-256 over the lines `holder_id:balance\n` of every holder in holder
 * order, recomputable by anyone from a CSV of the holdings. The snapshot pass spans many chunks
 * and possibly many invocations, so the digest in progress is saved with the calculation state
 * after every chunk and restored by the next; node:crypto cannot export a hash's state, and
 * hash-wasm can (its save()/load(), which also refuse a state from an incompatible build).
 *
 * @example
 * const hash = await SnapshotHash.start();
 * hash.addHolding('2222…', '1000.0000000');
 * const saved = hash.save();                       // persisted, then in another invocation:
 * (await SnapshotHash.resume(saved)).digest()      // 'sha256:…'
 */
export class SnapshotHash {
  private constructor(private readonly hasher: IHasher) {}

  static async start(): Promise<SnapshotHash> {
    const hasher = await createSHA256();
    hasher.init();
    return new SnapshotHash(hasher);
  }

  /** Continues a hash from `save()`; throws when the state was written by an incompatible build. */
  static async resume(saved: string): Promise<SnapshotHash> {
    const hasher = await createSHA256();
    hasher.load(new Uint8Array(Buffer.from(saved, 'base64')));
    return new SnapshotHash(hasher);
  }

  addHolding(holderId: string, balance: string): void {
    this.hasher.update(`${holderId}:${balance}\n`);
  }

  /** Adds whole lines at once (`holder_id:balance\n…`, as addHolding writes them): the same digest, one call. */
  addLines(lines: string): void {
    this.hasher.update(lines);
  }

  /** The state so far, as base64 (about 150 characters). */
  save(): string {
    return Buffer.from(this.hasher.save()).toString('base64');
  }

  digest(): string {
    return `sha256:${this.hasher.digest('hex')}`;
  }
}
