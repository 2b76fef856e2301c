import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { actingAdminId, approvalDetails, type Authorship, directly } from '../dual-control/authorship';
import { effectiveInstant } from '../effective-time';
import { NotFoundError } from '../errors';
import { recordDomainEvent } from '../events/record-domain-event';
import type { Caller } from '../identity/caller';
import { NAV_SCALE, type NavEntryRow, toNavEntryDto } from './nav-entry';
import { lockProjectForUpdate } from '../projects/projects.repository';
import { insertNavEntry, latestNav, setCurrentNav } from './nav.repository';
import type { RecordedNavDto, RecordNavInput } from './schemas';

export interface RecordedNav {
  entry: NavEntryRow;
  /** The project's NAV after the write: the latest effective entry's, not the new one if backdated. */
  currentNavPerToken: Decimal;
}

/** A NAV entry that has passed a write's checks, its instant resolved: written at once, or proposed. */
export interface NavPlan {
  projectId: string;
  navPerToken: Decimal;
  source: RecordNavInput['source'];
  effectiveAt: Date;
  notes: string | null;
}

/**
 * A NAV write's checks, under its lock: the project exists, and the entry is not dated in the
 * future (the current NAV could not follow it when its time came). The project stays locked until
 * the transaction ends, so NAV writes to it take turns.
 */
export async function prepareNav(trx: Db, projectId: string, input: RecordNavInput, now: Date): Promise<NavPlan> {
  const refusal = 'effective_at is in the future; record a NAV once it is in force';
  const effectiveAt = effectiveInstant(input.effective_at, now, refusal);
  if ((await lockProjectForUpdate(trx, projectId)) === undefined) throw new NotFoundError('Project', projectId);
  return { projectId, navPerToken: input.nav_per_token, source: input.source, effectiveAt, notes: input.notes ?? null };
}

/** Appends a prepared entry and sets the project's current NAV to the latest effective entry's, with the audit row. */
export async function writeNav(trx: Db, plan: NavPlan, by: Authorship): Promise<RecordedNav> {
  const { projectId } = plan;
  const entry = await insertNavEntry(trx, { ...plan, updatedBy: by.authorId });
  const latest = (await latestNav(trx, projectId)) ?? entry;
  await setCurrentNav(trx, projectId, latest.nav_per_token);
  const currentNavPerToken = new Decimal(latest.nav_per_token);
  await recordAdminAction(trx, {
    adminId: actingAdminId(by),
    action: 'nav.record',
    target: { project_id: projectId, nav_entry_id: entry.id },
    details: {
      nav_per_token: plan.navPerToken.toFixed(NAV_SCALE),
      source: plan.source,
      effective_at: plan.effectiveAt.toISOString(),
      current_nav_per_token: currentNavPerToken.toFixed(NAV_SCALE),
      ...approvalDetails(by),
    },
  });
  await recordDomainEvent(trx, {
    type: 'nav.recorded',
    subjectId: entry.id,
    detail: {
      project_id: projectId,
      nav_entry_id: entry.id,
      nav_per_token: plan.navPerToken.toFixed(NAV_SCALE),
      source: plan.source,
      effective_at: plan.effectiveAt.toISOString(),
      current_nav_per_token: currentNavPerToken.toFixed(NAV_SCALE),
      recorded_by: by.authorId,
      approved_by: by.approval?.approvedBy ?? null,
    },
  });
  return { entry, currentNavPerToken };
}

/**
 * Appends a NAV entry and, in the same transaction, sets the project's current NAV to the latest
 * effective entry's, with the audit row. A NAV dated in the future is refused.
 */
export async function recordNav(
  db: Db,
  admin: Caller,
  projectId: string,
  input: RecordNavInput,
  now: Date = new Date(),
): Promise<RecordedNav> {
  return db.transaction().execute(async (trx) => writeNav(trx, await prepareNav(trx, projectId, input, now), directly(admin)));
}

export const toRecordedNavDto = ({ entry, currentNavPerToken }: RecordedNav): RecordedNavDto => ({
  ...toNavEntryDto(entry),
  current_nav_per_token: currentNavPerToken.toFixed(NAV_SCALE),
});
