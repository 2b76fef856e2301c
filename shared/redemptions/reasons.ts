import type { RedemptionReasonCode } from '../db/schema';

/**
 * Why a request ended unpaid, as its LP is told: a code and plain words, chosen where the request
 * is rejected or failed and stored as `reason_code`. The words name nothing of the treasury (no
 * wallet, amount, shortfall or error): the detail (`rejection_reason`, `failure_reason`, the
 * audit row) is for admins.
 */
const WORDS: Record<RedemptionReasonCode, string> = {
  rejected: 'The request was rejected.',
  treasury_unavailable: 'The treasury cannot pay for this redemption at the moment.',
  approval_expired: 'No decision was made within the approval window.',
  no_longer_valid: 'The request could no longer go ahead as it was made.',
  processing_failed: 'It could not be completed because of a processing error.',
};

/** True of every request that ends rejected or failed: it had not moved anything yet. */
const NOTHING_MOVED = 'Nothing was moved, and the tokens can be redeemed again.';

export interface RedemptionReason {
  code: RedemptionReasonCode;
  message: string;
}

/** @example lpReason('approval_expired') // { code: 'approval_expired', message: 'No decision was made … redeemed again.' } */
export const lpReason = (code: RedemptionReasonCode): RedemptionReason => ({ code, message: `${WORDS[code]} ${NOTHING_MOVED}` });
