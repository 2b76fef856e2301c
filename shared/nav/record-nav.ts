import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { effectiveInstant } from '../effective-time';
import { NotFoundError } from '../errors';
import type { Caller } from '../http/caller';
import { NAV_SCALE, type NavEntryRow, toNavEntryDto } from './nav-entry';
import { insertNavEntry, latestNav, lockProjectForNav, setCurrentNav } from './nav.repository';
import type { RecordNavInput } from './schemas';

export interface RecordedNav {
  entry: NavEntryRow;
  /** The project's NAV after the write: the latest effective entry's, not the new one if backdated. */
  currentNavPerToken: Decimal;
}

/**
 * Appends a NAV entry and, in the same transaction, sets the project's current NAV to the latest
 * effective entry's, with the audit row. A NAV dated in the future is refused: the current NAV
 * could not follow it when its time came.
 */
export async function recordNav(
  db: Db,
  admin: Caller,
  projectId: string,
  input: RecordNavInput,
  now: Date = new Date(),
): Promise<RecordedNav> {
  const refusal = 'effective_at is in the future; record a NAV once it is in force';
  const effectiveAt = effectiveInstant(input.effective_at, now, refusal);
  return db.transaction().execute(async (trx) => {
    if ((await lockProjectForNav(trx, projectId)) === undefined) throw new NotFoundError('Project', projectId);
    const entry = await insertNavEntry(trx, {
      projectId,
      navPerToken: input.nav_per_token,
      source: input.source,
      effectiveAt,
      updatedBy: admin.id,
      notes: input.notes ?? null,
    });
    const latest = (await latestNav(trx, projectId)) ?? entry;
    await setCurrentNav(trx, projectId, latest.nav_per_token);
    const currentNavPerToken = new Decimal(latest.nav_per_token);
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'nav.record',
      target: { project_id: projectId, nav_entry_id: entry.id },
      details: {
        nav_per_token: input.nav_per_token.toFixed(NAV_SCALE),
        source: input.source,
        effective_at: effectiveAt.toISOString(),
        current_nav_per_token: currentNavPerToken.toFixed(NAV_SCALE),
      },
    });
    return { entry, currentNavPerToken };
  });
}

export const toRecordedNavDto = ({ entry, currentNavPerToken }: RecordedNav) => ({
  ...toNavEntryDto(entry),
  current_nav_per_token: currentNavPerToken.toFixed(NAV_SCALE),
});
