import { readAppliedMigrations } from './applied-migrations.repository';
import type { Db } from './client';

export interface MigrationStatus {
  current: string | null;
  latest: string;
  pending: string[];
}

/**
 * Which of the `known` migrations (by name) the database is at, and which are still to apply, as
 * Kysely's Migrator reports them: known names in sorted order, applied when its table lists them.
 * Takes the names rather than the migrations so that a caller need not carry their code.
 */
export async function readMigrationStatus(db: Db, known: readonly string[]): Promise<MigrationStatus> {
  const applied = new Set(await readAppliedMigrations(db));
  const names = [...known].sort();
  return {
    current: names.filter((name) => applied.has(name)).at(-1) ?? null,
    latest: names.at(-1) ?? '',
    pending: names.filter((name) => !applied.has(name)),
  };
}
