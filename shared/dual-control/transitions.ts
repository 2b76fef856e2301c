import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { databaseNow, uuid } from '../db/sql-values';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { requestApproval } from '../events/approvals';
import { type NewDomainEvent, recordDomainEvent } from '../events/record-domain-event';
import type { Caller } from '../identity/caller';
import { proposalWindowHours } from '../config';
import type { ProposalRow, ProposalStatus } from './proposal';
import { insertProposal, lockProposal, type NewProposal, updateProposal } from './proposals.repository';
import { jsonColumnValue } from '../db/json-columns';

/**
 * The life of a dual-control proposal, all of it here:
 *
 * ```
 * (a write the route would make) ──propose──▶ pending ──approve: another admin; the write is made──▶ approved
 *                                                │      ──reject: another admin, with a reason──────▶ rejected
 *                                                │──────withdraw: its proposer──────────────────────▶ withdrawn
 *                                                └──────expire: the reconciler, past its window─────▶ expired
 * ```
 *
 * The four ends are final; past its window (`expires_at`) no one can decide a proposal. Every
 * change, the opening included, passes through `proposalChanged` in its own transaction: its audit
 * row and its domain event (`proposal.made`, `.approved`, `.rejected`, `.withdrawn`, `.expired`);
 * an opening also asks the approvers for a second admin.
 */
export type Decision = 'approve' | 'reject' | 'withdraw';
type Change = 'propose' | Decision | 'expire';

const DECISIONS: Readonly<Record<Decision, { to: ProposalStatus; by: 'another admin' | 'its proposer' }>> = {
  approve: { to: 'approved', by: 'another admin' },
  reject: { to: 'rejected', by: 'another admin' },
  withdraw: { to: 'withdrawn', by: 'its proposer' },
};

/**
 * The one place a proposal's change is told: its audit row, its domain event, and for a new one
 * the approvers. `adminId` is null when the platform made the change (an expiry).
 */
async function proposalChanged(trx: Db, proposal: ProposalRow, change: Change, adminId: string | null): Promise<void> {
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
  await recordDomainEvent(trx, proposalEvent(proposal, change));
  if (change === 'propose') await askForSecondAdmin(trx, proposal);
}

/** What a decision set on the proposal (its CHECK constraints require it): absent, a bug. */
function decidedField(proposal: ProposalRow, field: 'decided_by' | 'applied_record_id' | 'decision_reason'): string {
  const value = proposal[field];
  if (value === null) throw new Error(`proposal ${proposal.id} is ${proposal.status} without ${field}`);
  return value;
}

function proposalEvent(proposal: ProposalRow, change: Change): NewDomainEvent {
  const told = { proposal_id: proposal.id, action: proposal.action, project_id: proposal.project_id, proposed_by: proposal.proposed_by };
  const subjectId = proposal.id;
  switch (change) {
    case 'propose':
      return { type: 'proposal.made', subjectId, detail: told };
    case 'approve':
      return {
        type: 'proposal.approved',
        subjectId,
        detail: { ...told, approved_by: decidedField(proposal, 'decided_by'), applied_record_id: decidedField(proposal, 'applied_record_id') },
      };
    case 'reject':
      return {
        type: 'proposal.rejected',
        subjectId,
        detail: { ...told, rejected_by: decidedField(proposal, 'decided_by'), reason: decidedField(proposal, 'decision_reason') },
      };
    case 'withdraw':
      return { type: 'proposal.withdrawn', subjectId, detail: { ...told, reason: proposal.decision_reason } };
    case 'expire':
      return { type: 'proposal.expired', subjectId, detail: { ...told, expires_at: proposal.expires_at.toISOString() } };
  }
}

/** The proposed request's plain fields, as text, for the approvers to read (nested ones, such as metadata, are left to GET /api/proposals/{id}). */
function requestFacts(request: unknown): Record<string, string> {
  const fields = jsonColumnValue(request) as Record<string, unknown> | null;
  return Object.fromEntries(
    Object.entries(fields ?? {})
      .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
      .map(([name, value]) => [name, String(value)]),
  );
}

async function askForSecondAdmin(trx: Db, proposal: ProposalRow): Promise<void> {
  await requestApproval(trx, {
    of: 'proposal',
    subjectId: proposal.id,
    projectId: proposal.project_id,
    summary: `Proposal ${proposal.action} awaits a second admin`,
    facts: {
      action: proposal.action,
      ...(proposal.project_id === null ? {} : { project_id: proposal.project_id }),
      ...requestFacts(proposal.request),
      proposed_by: proposal.proposed_by,
    },
    whoDecides: `an admin other than its proposer (${proposal.proposed_by}); its proposer may withdraw it`,
    expiresAt: proposal.expires_at,
  });
}

/** Opens a proposal inside the caller's transaction, which has checked it as the direct write would. */
export async function openProposal(trx: Db, admin: Caller, proposal: Omit<NewProposal, 'proposedBy' | 'windowHours'>): Promise<ProposalRow> {
  const opened = await insertProposal(trx, { ...proposal, proposedBy: admin.id, windowHours: proposalWindowHours() });
  await proposalChanged(trx, opened, 'propose', admin.id);
  return opened;
}

/**
 * Locks a proposal for `admin` to decide: 404 if there is none, 409 once it is decided or its
 * window has ended, 403 when the decision is not theirs to make (the proposer approving or
 * rejecting, another withdrawing).
 */
export async function lockForDecision(trx: Db, id: string, admin: Caller, decision: Decision, now: Date): Promise<ProposalRow> {
  const proposal = await lockProposal(trx, id);
  if (proposal === undefined) throw new NotFoundError('Proposal', id);
  if (proposal.status !== 'pending') {
    throw new ConflictError(`The proposal is ${proposal.status}; only a pending one can be decided`, { current_status: proposal.status });
  }
  if (isPastWindow(proposal, now)) {
    throw new ConflictError(`The proposal expired at ${proposal.expires_at.toISOString()} without a decision; propose the change again`, {
      current_status: 'expired',
      expires_at: proposal.expires_at.toISOString(),
    });
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

const isPastWindow = (proposal: ProposalRow, now: Date) => proposal.expires_at.getTime() <= now.getTime();

/**
 * Ends a pending proposal whose window has passed by `now` as `expired`, with its audit row and
 * event (no admin: the platform ended it). False when it is decided or not yet due.
 */
export async function expireProposal(db: Db, id: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const proposal = await lockProposal(trx, id);
    if (proposal?.status !== 'pending' || !isPastWindow(proposal, now)) return false;
    const expired = await updateProposal(trx, id, { status: 'expired', decided_at: databaseNow() });
    await proposalChanged(trx, expired, 'expire', null);
    return true;
  });
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
    decided_at: databaseNow(),
    decision_reason: outcome.reason ?? null,
    applied_record_id: outcome.appliedRecordId === undefined ? null : uuid(outcome.appliedRecordId),
  });
  await proposalChanged(trx, decided, decision, admin.id);
  return decided;
}
