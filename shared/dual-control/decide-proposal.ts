import type { Db } from '../db/client';
import type { Caller } from '../identity/caller';
import type { ProposalRow } from './proposal';
import { lockForDecision, recordDecision } from './transitions';

/**
 * Another admin rejects, with a reason: nothing is written but the decision and its audit row.
 * (Approving makes the proposed write: ./approve-proposal.ts.)
 */
export async function rejectProposal(db: Db, admin: Caller, id: string, reason: string, now: Date = new Date()): Promise<ProposalRow> {
  return db.transaction().execute(async (trx) =>
    recordDecision(trx, await lockForDecision(trx, id, admin, 'reject', now), 'reject', admin, { reason }),
  );
}

/** Its proposer takes it back, optionally saying why. */
export async function withdrawProposal(db: Db, admin: Caller, id: string, reason?: string, now: Date = new Date()): Promise<ProposalRow> {
  return db.transaction().execute(async (trx) =>
    recordDecision(trx, await lockForDecision(trx, id, admin, 'withdraw', now), 'withdraw', admin, { reason: reason ?? null }),
  );
}
