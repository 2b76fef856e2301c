import type { Db } from '../db/client';
import { createdKey, createdKeyOf } from '../db/keyset';
import { NotFoundError } from '../errors';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { type ProposalAction, type ProposalStatus, toProposalDto } from './proposal';
import { findProposal, listProposals } from './proposals.repository';

/** Proposals, newest first, optionally by status, action and project. */
export async function listProposalsPage(
  db: Db,
  query: PageRequest & { status?: ProposalStatus; action?: ProposalAction; project_id?: string },
) {
  const after = decodeCursor(query.cursor, createdKey);
  const filter = { status: query.status, action: query.action, projectId: query.project_id };
  return readPage(listProposals(db, filter, { after, limit: query.limit }), query.limit, toProposalDto, createdKeyOf);
}

export async function getProposal(db: Db, id: string) {
  const proposal = await findProposal(db, id);
  if (proposal === undefined) throw new NotFoundError('Proposal', id);
  return toProposalDto(proposal);
}
