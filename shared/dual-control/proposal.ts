import type { Selectable } from 'kysely';
import { fromJsonColumn } from '../db/json-columns';
import type { DualControlProposalsTable, ProposalAction, ProposalStatus } from '../db/schema';
import { type ProposalDto, proposedRequestColumn } from './schemas';
import { isoOrNull } from '../iso-instant';

export type { ProposalAction, ProposalStatus };
export type ProposalRow = Selectable<DualControlProposalsTable>;

export const toProposalDto = (row: ProposalRow): ProposalDto => ({
  id: row.id,
  action: row.action,
  project_id: row.project_id,
  request: fromJsonColumn(proposedRequestColumn, row.request),
  status: row.status,
  proposed_by: row.proposed_by,
  proposed_at: row.created_at.toISOString(),
  expires_at: row.expires_at.toISOString(),
  decided_by: row.decided_by,
  decided_at: isoOrNull(row.decided_at),
  decision_reason: row.decision_reason,
  applied_record_id: row.applied_record_id,
});
