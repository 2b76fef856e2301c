import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client';
import { afterKey, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, keyInstant, type KeysetRows, readByKey } from '../db/keyset';
import { NO_ROWS, readBound } from '../db/result-size';
import { jsonb, uuid } from '../db/sql-values';
import { ACTIVITY_METADATA_MAX_CHARS, ACTIVITY_SUMMARY_MAX_CHARS, tableWidths, USER_AGENT_MAX_CHARS } from '../db/table-widths';
import type { RequestMeta } from '../identity/caller';
import { storableText } from '../http/schemas';

/** distribution_activity_log.ip_address is varchar(45): an IPv6 address in full. */
const IP_ADDRESS_MAX_CHARS = 45;

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

/** The HTTP request's address and user agent as an activity row stores them. */
export function activityRequestColumns(request: DistributionActivity['request']) {
  return {
    ip_address: textOrNull(request?.sourceIp, IP_ADDRESS_MAX_CHARS),
    user_agent: textOrNull(request?.userAgent, USER_AGENT_MAX_CHARS),
  };
}

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
      changes_summary: activity.changesSummary === undefined ? null : jsonb(activity.changesSummary, ACTIVITY_SUMMARY_MAX_CHARS),
      metadata: activity.metadata === undefined ? null : jsonb(activity.metadata, ACTIVITY_METADATA_MAX_CHARS),
      ...activityRequestColumns(activity.request),
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
  activity_type: ActivityType;
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

const log = tableWidths.distribution_activity_log;

/** A page of activity: the row, with the names of its event, project and who did it. */
const activityPage = readBound({
  ...log,
  distribution_title: tableWidths.distribution_events.title,
  project_name: tableWidths.projects.name,
  performed_by_name: tableWidths.users.name,
  performed_by_email: tableWidths.users.email,
  created_at_key: instantKeyWidth,
});

/** A page of activity, newest first, for one event, one project, or all projects, read in as many calls as its rows need. */
export function listActivity(db: Db, scope: ActivityScope, page: { after?: CreatedKey; limit: number }): KeysetRows<ActivityRow> {
  const where =
    'eventId' in scope
      ? sql`a.distribution_event_id = ${uuid(scope.eventId)}`
      : 'projectId' in scope
        ? sql`a.project_id = ${uuid(scope.projectId)}`
        : sql`true`;
  return readByKey(page, activityPage.rowsPerCall, createdKeyOf, (after, limit) => activityRows(db, where, after, limit));
}

async function activityRows(db: Db, where: RawBuilder<unknown>, afterKeyOf: CreatedKey | undefined, limit: number): Promise<ActivityRow[]> {
  const after =
    afterKeyOf === undefined ? sql`true` : afterKey(['a.created_at', 'a.id'], [keyInstant(afterKeyOf.created_at), uuid(afterKeyOf.id)]);
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
    LIMIT ${limit}`.execute(db);
  return rows;
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  recordDistributionActivity: NO_ROWS,
  listActivity: activityPage,
};
