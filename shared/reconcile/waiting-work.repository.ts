import { sql } from 'kysely';
import type { Db } from '../db/client';
import { readBound, width } from '../db/result-size';
import { timestamptz } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';
import type { RedemptionStatus } from '../db/schema';

/**
 * What the reconciler looks at: work that should be moving. `progress` fingerprints everything
 * that changes while the work moves, so any change between two runs is progress.
 */

export interface CalculatingEvent {
  id: string;
  project_id: string;
  requested_by: string;
  progress: string;
  updated_at: Date;
}

export const calculatingEventIds = sql`SELECT id FROM distribution_events WHERE status = 'calculating'`;

/** md5 in hex, or empty. */
const progressWidth = width.ascii(32, 'text');
const calculatingEventRows = readBound({ id: width.uuid, project_id: width.uuid, requested_by: width.uuid, updated_at: width.timestamptz, progress: progressWidth });
const waitingRedemptionRows = readBound({
  id: width.uuid,
  status: tableWidths.redemption_requests.status,
  execution_name: tableWidths.redemption_requests.execution_name,
  updated_at: width.timestamptz,
  progress: progressWidth,
});

/** Events in `calculating`, least recently changed first. */
export async function calculatingEvents(db: Db, limit: number): Promise<CalculatingEvent[]> {
  const { rows } = await sql<Omit<CalculatingEvent, 'updated_at'> & { updated_at: Date | string }>`
    SELECT id, project_id, coalesce(calculation_requested_by, created_by) AS requested_by, updated_at,
      md5(coalesce(calculation_state::text, '') || ':' || holders_done || ':' || updated_at::text) AS progress
    FROM distribution_events WHERE status = 'calculating'
    ORDER BY updated_at LIMIT ${Math.min(limit, calculatingEventRows.rowsPerCall)}`.execute(db);
  return rows.map((row) => ({ ...row, updated_at: new Date(row.updated_at) }));
}

export interface WaitingRedemption {
  id: string;
  status: RedemptionStatus;
  execution_name: string | null;
  progress: string;
  updated_at: Date;
}

export const unplannedRedemptionIds = sql`SELECT id FROM redemption_requests WHERE status = 'pending' AND execution_name IS NULL`;

/** Pending requests not yet planned, oldest first. */
export async function unplannedRedemptions(db: Db, limit: number): Promise<WaitingRedemption[]> {
  const { rows } = await sql<Omit<WaitingRedemption, 'updated_at'> & { updated_at: Date | string }>`
    SELECT id, status, execution_name, updated_at, md5(status || ':' || updated_at::text) AS progress
    FROM redemption_requests WHERE status = 'pending' AND execution_name IS NULL
    ORDER BY created_at LIMIT ${Math.min(limit, waitingRedemptionRows.rowsPerCall)}`.execute(db);
  return rows.map((row) => ({ ...row, updated_at: new Date(row.updated_at) }));
}

/**
 * Open requests whose workflow should have moved them on by `now`: planned but not waiting for
 * approval after `startedBy`, waiting past their approval window plus `expiredBy`, or approved
 * and not executed after `executedBy`.
 */
export async function overdueWorkflowRedemptions(
  db: Db,
  cutoffs: { startedBefore: Date; expiredBefore: Date; approvedBefore: Date },
  limit: number,
): Promise<WaitingRedemption[]> {
  const { rows } = await sql<Omit<WaitingRedemption, 'updated_at'> & { updated_at: Date | string }>`
    SELECT id, status, execution_name, updated_at, '' AS progress FROM redemption_requests
    WHERE execution_name IS NOT NULL AND (
      (status = 'pending' AND updated_at < ${timestamptz(cutoffs.startedBefore)})
      OR (status = 'awaiting_approval' AND approval_expires_at < ${timestamptz(cutoffs.expiredBefore)})
      OR (status = 'processing' AND decided_at < ${timestamptz(cutoffs.approvedBefore)}))
    ORDER BY updated_at LIMIT ${Math.min(limit, waitingRedemptionRows.rowsPerCall)}`.execute(db);
  return rows.map((row) => ({ ...row, updated_at: new Date(row.updated_at) }));
}

/** What each read above answers at most, `limit` notwithstanding (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  calculatingEvents: calculatingEventRows,
  unplannedRedemptions: waitingRedemptionRows,
  overdueWorkflowRedemptions: waitingRedemptionRows,
};
