import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client';
import { NO_ROWS, readBound } from '../db/result-size';
import { timestamptz, uuid } from '../db/sql-values';
import { pick, tableWidths } from '../db/table-widths';

export interface Observation {
  /** Since when the subject's progress has been what it is now. */
  unchangedSince: Date;
  /** Heals since then. */
  heals: number;
  lastHealedAt: Date | null;
}

/**
 * Records the subject's progress as the reconciler sees it at `now`. Seen for the first time,
 * it has been unchanged since `lastChangedAt` (the subject's own record of its last change);
 * if the progress differs from the last run's, it has changed now and its heals start over.
 */
export async function observe(
  db: Db,
  observed: { kind: string; subjectId: string; progress: string; lastChangedAt: Date },
  now: Date,
): Promise<Observation> {
  const { rows } = await sql<{ unchanged_since: Date | string; heals: number; last_healed_at: Date | string | null }>`
    INSERT INTO reconciler_observations AS o (kind, subject_id, progress, unchanged_since)
    VALUES (${observed.kind}, ${uuid(observed.subjectId)}, ${observed.progress}, ${timestamptz(observed.lastChangedAt)})
    ON CONFLICT (kind, subject_id) DO UPDATE SET
      progress = excluded.progress,
      unchanged_since = CASE WHEN o.progress = excluded.progress THEN o.unchanged_since ELSE ${timestamptz(now)} END,
      heals = CASE WHEN o.progress = excluded.progress THEN o.heals ELSE 0 END,
      last_healed_at = CASE WHEN o.progress = excluded.progress THEN o.last_healed_at ELSE NULL END
    RETURNING unchanged_since, heals, last_healed_at`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('the observation upsert returned no row');
  return {
    unchangedSince: new Date(row.unchanged_since),
    heals: row.heals,
    lastHealedAt: row.last_healed_at === null ? null : new Date(row.last_healed_at),
  };
}

/** Counts a heal; call it in the transaction that makes the heal. */
export async function recordHeal(trx: Db, kind: string, subjectId: string, now: Date): Promise<void> {
  await trx
    .updateTable('reconciler_observations')
    .set((eb) => ({ heals: eb('heals', '+', 1), last_healed_at: timestamptz(now) }))
    .where('kind', '=', kind)
    .where('subject_id', '=', uuid(subjectId))
    .execute();
}

/** Forgets the observations of a kind whose subjects no longer wait (`waiting`: a query of their ids). */
export async function forgetSettled(db: Db, kind: string, waiting: RawBuilder<unknown>): Promise<void> {
  await sql`DELETE FROM reconciler_observations WHERE kind = ${kind} AND subject_id NOT IN (${waiting})`.execute(db);
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  observe: readBound(pick(tableWidths.reconciler_observations, 'unchanged_since', 'heals', 'last_healed_at'), 1),
  recordHeal: NO_ROWS,
  forgetSettled: NO_ROWS,
};
