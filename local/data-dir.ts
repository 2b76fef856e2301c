import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the local stack keeps its database and signing key: `DATA_DIR`, default `.local/`. */
export function dataDir(): string {
  const dir = resolve(process.env.DATA_DIR ?? '.local');
  mkdirSync(dir, { recursive: true });
  return dir;
}
