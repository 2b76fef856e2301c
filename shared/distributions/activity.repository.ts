import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterKey, type CreatedKey, instantKey, keyInstant } from '../db/keyset';
import { jsonb, uuid } from '../db/sql-values';
import type { RequestMeta } from '../http/handler';
import { storableText } from '../http/schemas';

/** What an activity row keeps of the request's user agent (a header of up to 10 KB). */
export const USER_AGENT_MAX_CHARS = 512;
/** distribution_activity_log.ip_address is varchar(45): an IPv6 address in full. */
export const IP_ADDRESS_MAX_CHARS = 45;

export type ActivityType =
  | 'event_created'
  | 'calculation_requested'
  | 'allocations_calculated'
  | 'calculation_failed'
  | 'event_activated'
  | 'withdrawal_requested'
  | 'withdrawal_approved'
  | 'withdrawal_rejected'
  | 'payment_recorded'
  | 'event_completed'
  | 'event_cancelled';

export interface DistributionActivity {
  eventId: string | null;
  projectId: string;
  withdrawalRequestId?: string;
  activityType: ActivityType;
  performedBy: string;
  previousStatus?: string | null;
  newStatus?: string | null;
  changesSummary?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** The HTTP request behind the change; absent for the calculation worker. */
  request?: Pick<RequestMeta, 'sourceIp' | 'userAgent'>;
}

const textOrNull = (text: string | null | undefined, max: number) => (text === null || text === undefined ? null : storableText(text, max));

/**
 * Writes one distribution_activity_log row. Always call it with the transaction that makes the
 * change it records: a Lambda freezes when it returns, so there is no logging "later".
 */
export async function recordDistributionActivity(trx: Db, activity: DistributionActivity): Promise<void> {
  await trx
    .insertInto('distribution_activity_log')
    .values({
      distribution_event_id: activity.eventId === null ? null : uuid(activity.eventId),
      withdrawal_request_id: activity.withdrawalRequestId === undefined ? null : uuid(activity.withdrawalRequestId),
      project_id: uuid(activity.projectId),
      activity_type: activity.activityType,
      performed_by: uuid(activity.performedBy),
      previous_status: activity.previousStatus ?? null,
      new_status: activity.newStatus ?? null,
      changes_summary: activity.changesSummary === undefined ? null : jsonb(activity.changesSummary),
      metadata: activity.metadata === undefined ? null : jsonb(activity.metadata),
      ip_address: textOrNull(activity.request?.sourceIp, IP_ADDRESS_MAX_CHARS),
      user_agent: textOrNull(activity.request?.userAgent, USER_AGENT_MAX_CHARS),
    })
    .execute();
}

export interface ActivityRow {
  id: string;
  distribution_event_id: string | null;
  distribution_title: string | null;
  withdrawal_request_id: string | null;
  project_id: string;
  project_name: string;
  activity_type: string;
  performed_by: string;
  performed_by_name: string | null;
  performed_by_email: string | null;
  previous_status: string | null;
  new_status: string | null;
  changes_summary: unknown;
  metadata: unknown;
  ip_address: string | null;
  user_agent: string | null;
  created_at: Date;
  created_at_key: string;
}

export type ActivityScope = { eventId: string } | { projectId: string } | { everywhere: true };

/** A page of activity, newest first, for one event, one project, or all projects. */
export async function listActivity(
  db: Db,
  scope: ActivityScope,
  page: { after?: CreatedKey; limit: number },
): Promise<ActivityRow[]> {
  const where =
    'eventId' in scope
      ? sql`a.distribution_event_id = ${uuid(scope.eventId)}`
      : 'projectId' in scope
        ? sql`a.project_id = ${uuid(scope.projectId)}`
        : sql`true`;
  const after =
    page.after === undefined ? sql`true` : afterKey(['a.created_at', 'a.id'], [keyInstant(page.after.created_at), uuid(page.after.id)]);
  const { rows } = await sql<ActivityRow>`
    SELECT a.id, a.distribution_event_id, e.title AS distribution_title, a.withdrawal_request_id,
      a.project_id, p.name AS project_name, a.activity_type, a.performed_by,
      u.name AS performed_by_name, u.email AS performed_by_email, a.previous_status, a.new_status,
      a.changes_summary, a.metadata, a.ip_address, a.user_agent, a.created_at,
      ${instantKey('a.created_at')} AS created_at_key
    FROM distribution_activity_log a
    JOIN projects p ON p.id = a.project_id
    LEFT JOIN distribution_events e ON e.id = a.distribution_event_id
    LEFT JOIN users u ON u.id = a.performed_by
    WHERE ${where} AND ${after}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${page.limit}`.execute(db);
  return rows;
}
