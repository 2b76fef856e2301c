/**
 * hash-wasm's SHA-256-only build: its package entry carries every algorithm's WebAssembly
 * (about 200 KB more in a bundled Lambda), which the bundler cannot drop.
 */
declare module 'hash-wasm/dist/sha256.umd.min.js' {
  import type { createSHA256 } from 'hash-wasm';

  const build: { createSHA256: typeof createSHA256 };
  export default build;
}
