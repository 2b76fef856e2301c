import { sql, type UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { readBound, width } from '../db/result-size';
import type { Database } from '../db/schema';
import { jsonb, uuid } from '../db/sql-values';
import { PROPOSAL_BASIS_MAX_CHARS, PROPOSAL_REQUEST_MAX_CHARS, tableWidths } from '../db/table-widths';
import type { ProposalAction, ProposalRow, ProposalStatus } from './proposal';

const proposalRow = readBound(tableWidths.dual_control_proposals, 1);
const proposalPage = readBound({ ...tableWidths.dual_control_proposals, created_at_key: instantKeyWidth });

export interface NewProposal {
  action: ProposalAction;
  projectId: string | null;
  request: Record<string, unknown>;
  basis: Record<string, unknown> | null;
  proposedBy: string;
  /** Hours from now it may be decided in. */
  windowHours: number;
}

export async function insertProposal(db: Db, proposal: NewProposal): Promise<ProposalRow> {
  return db
    .insertInto('dual_control_proposals')
    .values({
      action: proposal.action,
      project_id: proposal.projectId === null ? null : uuid(proposal.projectId),
      request: jsonb(proposal.request, PROPOSAL_REQUEST_MAX_CHARS),
      basis: proposal.basis === null ? null : jsonb(proposal.basis, PROPOSAL_BASIS_MAX_CHARS),
      proposed_by: uuid(proposal.proposedBy),
      expires_at: sql<Date>`now() + ${proposal.windowHours} * interval '1 hour'`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProposal(db: Db, id: string): Promise<ProposalRow | undefined> {
  return db.selectFrom('dual_control_proposals').selectAll().where('id', '=', uuid(id)).executeTakeFirst();
}

/** Reads the proposal and locks it until the transaction ends: its decisions take turns on it. */
export async function lockProposal(db: Db, id: string): Promise<ProposalRow | undefined> {
  return db.selectFrom('dual_control_proposals').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

export async function updateProposal(db: Db, id: string, changes: UpdateObject<Database, 'dual_control_proposals'>): Promise<ProposalRow> {
  return db.updateTable('dual_control_proposals').set(changes).where('id', '=', uuid(id)).returningAll().executeTakeFirstOrThrow();
}

const overdueProposalRows = readBound({ id: width.uuid });

/** Pending proposals whose window has ended by `now`, the longest overdue first. */
export async function overdueProposalIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('dual_control_proposals')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .orderBy('id')
    .limit(Math.min(limit, overdueProposalRows.rowsPerCall))
    .execute();
  return rows.map((row) => row.id);
}

export interface ProposalFilter {
  status?: ProposalStatus;
  action?: ProposalAction;
  projectId?: string;
}

/** A page of proposals, newest first, read in as many calls as its rows need. */
export function listProposals(db: Db, filter: ProposalFilter, page: { after?: CreatedKey; limit: number }) {
  return readByKey(page, proposalPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db.selectFrom('dual_control_proposals').selectAll().select(instantKey('created_at').as('created_at_key'));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.projectId !== undefined) query = query.where('project_id', '=', uuid(filter.projectId));
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertProposal: proposalRow,
  findProposal: proposalRow,
  lockProposal: proposalRow,
  updateProposal: proposalRow,
  overdueProposalIds: overdueProposalRows,
  listProposals: proposalPage,
};
