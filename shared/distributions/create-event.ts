import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { RuleViolationError } from '../errors';
import type { Caller, RequestMeta } from '../identity/caller';
import { findProjectById } from '../projects/projects.repository';
import { recordDistributionActivity } from './activity.repository';
import { type DistributionEvent, toDistributionEvent } from './event';
import { insertEvent } from './events.repository';
import type { CreateEventInput } from './schemas';

/** Creates a draft distribution event, with its activity and audit rows, in one transaction. */
export async function createDistributionEvent(
  db: Db,
  admin: Caller,
  input: CreateEventInput,
  meta: RequestMeta,
): Promise<DistributionEvent> {
  return db.transaction().execute(async (trx) => {
    if ((await findProjectById(trx, input.project_id)) === undefined) {
      throw new RuleViolationError(`Project ${input.project_id} does not exist`, { project_id: input.project_id });
    }
    const row = await insertEvent(trx, {
      projectId: input.project_id,
      eventType: input.event_type,
      title: input.title,
      description: input.description ?? null,
      totalAmount: input.total_amount,
      distributionDate: input.distribution_date,
      createdBy: admin.id,
    });
    const summary = {
      event_type: row.event_type,
      title: row.title,
      total_amount: input.total_amount.toFixed(7),
      distribution_date: row.distribution_date.toISOString(),
    };
    await recordDistributionActivity(trx, {
      eventId: row.id,
      projectId: row.project_id,
      activityType: 'event_created',
      performedBy: admin.id,
      newStatus: 'draft',
      changesSummary: summary,
      request: meta,
    });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'distribution.create',
      target: { distribution_event_id: row.id, project_id: row.project_id },
      details: summary,
    });
    return toDistributionEvent(row);
  });
}
