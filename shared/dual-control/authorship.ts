import type { Caller } from '../identity/caller';

/**
 * Who a change is by. Its author made it and is named on the row it writes (`updated_by`,
 * `recorded_by`); under dual control another admin approved it, which is what made it take
 * effect, so the change's audit row names the approver, with the proposal.
 */
export interface Authorship {
  authorId: string;
  approval?: { proposalId: string; approvedBy: string };
}

/** A change an admin makes at once: dual control is off, or does not cover it. */
export const directly = (admin: Caller): Authorship => ({ authorId: admin.id });

/** The admin a change's audit row names: the one whose action made it take effect. */
export const actingAdminId = (by: Authorship): string => by.approval?.approvedBy ?? by.authorId;

/** What a change's audit row adds when an approved proposal brought it in. */
export const approvalDetails = (by: Authorship): Record<string, string> =>
  by.approval === undefined ? {} : { proposal_id: by.approval.proposalId, proposed_by: by.authorId };
