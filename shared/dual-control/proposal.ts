import type { Selectable } from 'kysely';
import type { DualControlProposalsTable, ProposalAction, ProposalStatus } from '../db/schema';

export type { ProposalAction, ProposalStatus };
export type ProposalRow = Selectable<DualControlProposalsTable>;

export const PROPOSAL_ACTIONS = ['nav.record', 'lp_tokens.issue', 'treasury.inflow', 'treasury.replenish'] as const satisfies readonly ProposalAction[];
export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly ProposalStatus[];

export const toProposalDto = (row: ProposalRow) => ({
  id: row.id,
  action: row.action,
  project_id: row.project_id,
  /** What approving it applies: the request as its route takes it. */
  request: row.request,
  status: row.status,
  proposed_by: row.proposed_by,
  proposed_at: row.created_at.toISOString(),
  decided_by: row.decided_by,
  decided_at: row.decided_at?.toISOString() ?? null,
  decision_reason: row.decision_reason,
  applied_record_id: row.applied_record_id,
});
