import { type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../migrations';
import type { Db } from './client';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

function migratorFor(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function settle({ error, results = [] }: MigrationResultSet): string[] {
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined) {
    const where = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`${where}: ${reason}`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** Applies every pending migration; returns the names applied. Throws with the failing one's error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return settle(await migratorFor(db).migrateToLatest());
}

/** Reverts the most recent migration; returns its name (empty when none was applied). */
export async function migrateDown(db: Db): Promise<string[]> {
  return settle(await migratorFor(db).migrateDown());
}

/** Migrates up or down to the named migration (used by tests of reversibility). */
export async function migrateTo(db: Db, name: string): Promise<string[]> {
  return settle(await migratorFor(db).migrateTo(name));
}

export interface MigrationStatus {
  current: string | null;
  latest: string;
  pending: string[];
}

/** Which migration the database is at, and which are still to apply. */
export async function migrationStatus(db: Db): Promise<MigrationStatus> {
  const known = await migratorFor(db).getMigrations();
  const applied = known.filter((migration) => migration.executedAt !== undefined);
  return {
    current: applied.at(-1)?.name ?? null,
    latest: Object.keys(migrations).at(-1) ?? '',
    pending: known.filter((migration) => migration.executedAt === undefined).map((m) => m.name),
  };
}
