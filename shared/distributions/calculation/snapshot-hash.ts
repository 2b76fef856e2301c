import { Hash } from 'fast-sha256';

/** What a saved hash starts with: a state of another format (an earlier build's) is refused. */
const FORMAT = 'sha256-blocks:';
const BLOCK_BYTES = 64;
const encoder = new TextEncoder();

/**
 * The snapshot hash: SHA-256 over the lines `holder_id:balance\n` of every holder in holder
 * order, recomputable by anyone from a CSV of the holdings. The pass that takes the snapshot
 * spans many chunks and possibly many invocations, so the digest in progress is saved with the
 * calculation state after every chunk and restored by the next. node:crypto cannot export a
 * hash's state; fast-sha256 (small and pure JavaScript) can, at a block boundary: its
 * `_saveState`/`_restoreState`, which its HMAC uses. So the hash is fed whole 64-byte blocks,
 * and the bytes short of the next block are kept beside it (`carry`) and saved with its state.
 *
 * @example
 * const hash = SnapshotHash.start();
 * hash.addHolding('2222…', '1000.0000000');
 * const saved = hash.save();                       // persisted, then in another invocation:
 * SnapshotHash.resume(saved).digest()            // 'sha256:…'
 */
export class SnapshotHash {
  private constructor(
    private readonly hash: Hash,
    /** Bytes the hash has taken: whole blocks. */
    private hashed: number,
    private carry: Uint8Array,
  ) {}

  static start(): SnapshotHash {
    return new SnapshotHash(new Hash(), 0, new Uint8Array(0));
  }

  /** Continues a hash from `save()`; throws when the state is not one this build writes. */
  static resume(saved: string): SnapshotHash {
    const [words = '', hashed = '', carry = ''] = saved.startsWith(FORMAT) ? saved.slice(FORMAT.length).split(':') : [];
    const wordBytes = Buffer.from(words, 'base64');
    const state = new Uint32Array(wordBytes.buffer.slice(wordBytes.byteOffset, wordBytes.byteOffset + wordBytes.length));
    const bytesHashed = Number(hashed);
    if (state.length !== 8 || !Number.isSafeInteger(bytesHashed) || bytesHashed % BLOCK_BYTES !== 0) {
      throw new Error('not a snapshot hash state this build writes');
    }
    const hash = new Hash();
    hash._restoreState(state, bytesHashed);
    return new SnapshotHash(hash, bytesHashed, new Uint8Array(Buffer.from(carry, 'base64')));
  }

  addHolding(holderId: string, balance: string): void {
    this.addLines(`${holderId}:${balance}\n`);
  }

  /** Adds whole lines at once (`holder_id:balance\n…`, as addHolding writes them): the same digest, one call. */
  addLines(lines: string): void {
    const added = encoder.encode(lines);
    const bytes = this.carry.length === 0 ? added : concat(this.carry, added);
    const whole = bytes.length - (bytes.length % BLOCK_BYTES);
    this.hash.update(bytes, whole);
    this.hashed += whole;
    this.carry = bytes.slice(whole);
  }

  /** The state so far: the eight words, the bytes hashed and the carry (about 140 characters). */
  save(): string {
    const state = new Uint32Array(8);
    this.hash._saveState(state);
    return `${FORMAT}${Buffer.from(state.buffer).toString('base64')}:${this.hashed}:${Buffer.from(this.carry).toString('base64')}`;
  }

  digest(): string {
    this.hash.update(this.carry);
    this.carry = new Uint8Array(0);
    return `sha256:${Buffer.from(this.hash.digest()).toString('hex')}`;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
