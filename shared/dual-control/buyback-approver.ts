import type { Db } from '../db/client';
import { ForbiddenError } from '../errors';
import type { Caller } from '../identity/caller';
import { navInForce } from '../nav/nav.repository';
import type { RedemptionRow } from '../redemptions/redemptions.repository';
import { approverStake } from './stakes.repository';

/**
 * Under dual control, a redemption is approved by an admin who made nothing it pays for: not the
 * NAV entry it was valued at, nor any movement that gave its LP their tokens of the project. Each
 * of those had a second admin's approval, but the admin who made a value must not also release
 * its payout: one admin alone would then need a careless second one only once. (Who approved
 * them may: a checker cannot raise a value, only pass one.)
 */
export async function assertApproverMadeNothingItPays(trx: Db, request: RedemptionRow, admin: Caller): Promise<void> {
  // Requests made before the entry was kept: the NAV in force when they were made.
  const navEntryId = request.nav_entry_id ?? (await navInForce(trx, request.project_id, request.created_at))?.id ?? null;
  const stake = await approverStake(trx, { adminId: admin.id, projectId: request.project_id, holderId: request.user_id, navEntryId });
  if (stake.made_nav) {
    throw new ForbiddenError('You made the NAV entry this redemption is valued at; another admin must approve it', {
      nav_entry_id: navEntryId,
    });
  }
  if (stake.gave_tokens) {
    throw new ForbiddenError("You issued or transferred this LP's tokens of the project; another admin must approve the redemption", {
      holder_id: request.user_id,
    });
  }
}
