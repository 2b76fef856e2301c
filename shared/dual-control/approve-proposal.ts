import type { Db } from '../db/client';
import type { Caller } from '../identity/caller';
import { DUAL_CONTROLLED_WRITES } from './dual-controlled-writes';
import type { ProposalRow } from './proposal';
import { lockForDecision, recordDecision } from './transitions';

/**
 * Another admin approves: the proposed write is checked again under the locks the direct write
 * takes (it may have gone stale: a 4xx then, and the proposal stays pending) and made, with its
 * audit row and the approval's, in one transaction. The proposer approving is a 403.
 * (Apart from rejecting and withdrawing, ./decide-proposal.ts, which write nothing else.)
 */
export async function approveProposal(db: Db, admin: Caller, id: string, now: Date = new Date()): Promise<ProposalRow> {
  return db.transaction().execute(async (trx) => {
    const proposal = await lockForDecision(trx, id, admin, 'approve', now);
    const appliedRecordId = await DUAL_CONTROLLED_WRITES[proposal.action].applyApproved(trx, proposal, admin, now);
    return recordDecision(trx, proposal, 'approve', admin, { appliedRecordId });
  });
}
