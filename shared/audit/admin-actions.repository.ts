import type { Db } from '../db/client';
import { NO_ROWS } from '../db/result-size';
import { jsonb, uuid } from '../db/sql-values';

export interface AdminAction {
  /** Null: the platform acted on its own (the reconciler, a workflow step), not a person. */
  adminId: string | null;
  /** Dotted verb, e.g. `project.create`, `lp_tokens.issue`. */
  action: string;
  target: Record<string, unknown>;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit_admin_actions row. Call it with the transaction that makes the change, so
 * the change and its audit row commit or roll back together.
 */
export async function recordAdminAction(trx: Db, entry: AdminAction): Promise<void> {
  await trx
    .insertInto('audit_admin_actions')
    .values({
      admin_id: entry.adminId === null ? null : uuid(entry.adminId),
      action: entry.action,
      target: jsonb(entry.target),
      details: entry.details === undefined ? null : jsonb(entry.details),
    })
    .execute();
}

/** What each function above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = { recordAdminAction: NO_ROWS };
