import { unpackedOnFirstUse } from '../packed-json';
import type { SchemaCatalog } from './catalog.repository';
import { EXPECTED_SCHEMA_BROTLI_BASE64 } from './expected-schema.packed';

/** What a database migrated from empty holds: its migrations, by name in order, and its schema catalog. */
export interface ExpectedSchema extends SchemaCatalog {
  migrations: string[];
}

/**
 * expected-schema.json, unpacked on first use: the handler carries it compressed (6 KB instead of
 * 40 KB of JSON), and only a verification reads it.
 */
export const expectedSchema = unpackedOnFirstUse<ExpectedSchema>(EXPECTED_SCHEMA_BROTLI_BASE64);
