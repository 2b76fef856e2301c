import { type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../migrations';
import type { Db } from './client';
import { type MigrationStatus, readMigrationStatus } from './migration-status';

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

/** Which migration the database is at, and which are still to apply. */
export function migrationStatus(db: Db): Promise<MigrationStatus> {
  return readMigrationStatus(db, Object.keys(migrations));
}
