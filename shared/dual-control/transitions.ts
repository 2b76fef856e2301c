import { sql } from 'kysely';
import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { uuid } from '../db/sql-values';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Caller } from '../http/caller';
import type { ProposalRow, ProposalStatus } from './proposal';
import { insertProposal, lockProposal, type NewProposal, updateProposal } from './proposals.repository';

/**
 * The life of a dual-control proposal, all of it here:
 *
 * ```
 * (a write the route would make) ──propose──▶ pending ──approve: another admin; the write is made──▶ approved
 *                                                │      ──reject: another admin, with a reason──────▶ rejected
 *                                                └──────withdraw: its proposer──────────────────────▶ withdrawn
 * ```
 *
 * The three ends are final. Every change, the opening included, passes through `proposalChanged`
 * in its own transaction: the audit row now, and issue 12's domain event ("a dual-control proposal
 * made or decided", an outbox message) beside it.
 */
export type Decision = 'approve' | 'reject' | 'withdraw';

const DECISIONS: Readonly<Record<Decision, { to: ProposalStatus; by: 'another admin' | 'its proposer' }>> = {
  approve: { to: 'approved', by: 'another admin' },
  reject: { to: 'rejected', by: 'another admin' },
  withdraw: { to: 'withdrawn', by: 'its proposer' },
};

/** The one place a proposal's change is told: its audit row (and, with issue 12, its domain event). */
async function proposalChanged(trx: Db, proposal: ProposalRow, change: 'propose' | Decision, adminId: string): Promise<void> {
  await recordAdminAction(trx, {
    adminId,
    action: `dual_control.${change}`,
    target: { proposal_id: proposal.id, action: proposal.action, project_id: proposal.project_id },
    details: {
      status: proposal.status,
      ...(proposal.decision_reason === null ? {} : { reason: proposal.decision_reason }),
      ...(proposal.applied_record_id === null ? {} : { applied_record_id: proposal.applied_record_id }),
    },
  });
}

/** Opens a proposal inside the caller's transaction, which has checked it as the direct write would. */
export async function openProposal(trx: Db, admin: Caller, proposal: Omit<NewProposal, 'proposedBy'>): Promise<ProposalRow> {
  const opened = await insertProposal(trx, { ...proposal, proposedBy: admin.id });
  await proposalChanged(trx, opened, 'propose', admin.id);
  return opened;
}

/**
 * Locks a proposal for `admin` to decide: 404 if there is none, 409 once it is decided, 403 when
 * the decision is not theirs to make (the proposer approving or rejecting, another withdrawing).
 */
export async function lockForDecision(trx: Db, id: string, admin: Caller, decision: Decision): Promise<ProposalRow> {
  const proposal = await lockProposal(trx, id);
  if (proposal === undefined) throw new NotFoundError('Proposal', id);
  if (proposal.status !== 'pending') {
    throw new ConflictError(`The proposal is ${proposal.status}; only a pending one can be decided`, { current_status: proposal.status });
  }
  const byProposer = proposal.proposed_by === admin.id;
  if (DECISIONS[decision].by === 'another admin' && byProposer) {
    const instead = decision === 'reject' ? '; its proposer withdraws it instead' : '';
    throw new ForbiddenError(`A proposal must be ${DECISIONS[decision].to} by an admin other than the one who proposed it${instead}`, {
      proposed_by: proposal.proposed_by,
    });
  }
  if (DECISIONS[decision].by === 'its proposer' && !byProposer) {
    throw new ForbiddenError('Only the admin who proposed it can withdraw a proposal; another admin rejects it', {
      proposed_by: proposal.proposed_by,
    });
  }
  return proposal;
}

/** Records a decision on a proposal locked by `lockForDecision`, in the same transaction. */
export async function recordDecision(
  trx: Db,
  proposal: ProposalRow,
  decision: Decision,
  admin: Caller,
  outcome: { reason?: string | null; appliedRecordId?: string } = {},
): Promise<ProposalRow> {
  const decided = await updateProposal(trx, proposal.id, {
    status: DECISIONS[decision].to,
    decided_by: uuid(admin.id),
    decided_at: sql`now()`,
    decision_reason: outcome.reason ?? null,
    applied_record_id: outcome.appliedRecordId === undefined ? null : uuid(outcome.appliedRecordId),
  });
  await proposalChanged(trx, decided, decision, admin.id);
  return decided;
}
