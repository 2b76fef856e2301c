import type { Db } from '../db/client';
import { expireProposal } from '../dual-control/transitions';
import { overdueProposalIds } from '../dual-control/proposals.repository';
import { checkItem, type Findings, noFindings } from './findings';
import { ITEMS_PER_RUN } from './thresholds';

/**
 * Dual-control proposals no second admin decided within their window: ended as `expired`, so
 * none waits forever for a person who never comes (its proposer proposes again if still wanted).
 */
export async function expireOverdueProposals(db: Db, now: Date): Promise<Findings> {
  const findings = noFindings();
  for (const id of await overdueProposalIds(db, now, ITEMS_PER_RUN)) {
    await checkItem(findings, 'proposal', id, async () => {
      if (await expireProposal(db, id, now)) {
        findings.healed.push({ kind: 'proposal-expired', subjectId: id, detail: 'no second admin decided it within its window' });
      }
    });
  }
  return findings;
}
