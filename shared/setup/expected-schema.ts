import type { SchemaCatalog } from './catalog.repository';
import { EXPECTED_SCHEMA_BROTLI_BASE64 } from './expected-schema.packed';

/** What a database migrated from empty holds: its migrations, by name in order, and its schema catalog. */
export interface ExpectedSchema extends SchemaCatalog {
  migrations: string[];
}

let unpacked: Promise<ExpectedSchema> | undefined;

/**
 * expected-schema.json, unpacked on first use. Handlers carry it brotli-compressed
 * (expected-schema.packed.ts, 6 KB instead of 40 KB of JSON): only a verification reads it, so
 * only a verification pays for it, and every cold start of the function loads less code.
 */
export function expectedSchema(): Promise<ExpectedSchema> {
  return (unpacked ??= import('node:zlib').then(
    ({ brotliDecompressSync }) => JSON.parse(brotliDecompressSync(Buffer.from(EXPECTED_SCHEMA_BROTLI_BASE64, 'base64')).toString('utf8')) as ExpectedSchema,
  ));
}
