import type { Migration } from 'kysely';
import * as foundation from './2026-11-21-01-foundation';
import * as treasuryAndRedemptions from './2026-11-21-02-treasury-and-redemptions';
import * as distributions from './2026-11-21-03-distributions';
import * as distributionCalculation from './2026-11-21-04-distribution-calculation';
import * as treasuryAccounts from './2026-11-21-05-treasury-accounts-and-redemption-workflow';
import * as treasuryLedgerGuards from './2026-11-21-06-treasury-ledger-guards';
import * as outboxAndReconciliation from './2026-11-29-07-outbox-and-reconciliation';
import * as oneTypePerQuantity from './2026-11-29-08-one-type-per-quantity';
import * as verifiedUserEmails from './2026-11-29-09-verified-user-emails';
import * as redemptionReasonsAndIdempotencyCommits from './2026-11-29-10-redemption-reasons-and-idempotency-commits';
import * as dualControl from './2026-11-29-11-dual-control';
import * as userAndProjectPages from './2026-11-29-13-user-and-project-pages';
import * as domainEvents from './2026-11-29-14-domain-events';
import * as proposalExpiry from './2026-11-29-18-proposal-expiry';
import * as lpTokenBalances from './2026-11-29-19-lp-token-balances';
import * as cutCandidates from './2026-11-29-20-cut-candidates';

/**
 * Every migration, by name, in the order they apply. Imported statically (not read from a
 * folder at run time) so a bundled Lambda carries them. Names sort in application order.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-21-01-foundation': foundation,
  '2026-11-21-02-treasury-and-redemptions': treasuryAndRedemptions,
  '2026-11-21-03-distributions': distributions,
  '2026-11-21-04-distribution-calculation': distributionCalculation,
  '2026-11-21-05-treasury-accounts-and-redemption-workflow': treasuryAccounts,
  '2026-11-21-06-treasury-ledger-guards': treasuryLedgerGuards,
  '2026-11-29-07-outbox-and-reconciliation': outboxAndReconciliation,
  '2026-11-29-08-one-type-per-quantity': oneTypePerQuantity,
  '2026-11-29-09-verified-user-emails': verifiedUserEmails,
  '2026-11-29-10-redemption-reasons-and-idempotency-commits': redemptionReasonsAndIdempotencyCommits,
  '2026-11-29-11-dual-control': dualControl,
  '2026-11-29-13-user-and-project-pages': userAndProjectPages,
  '2026-11-29-14-domain-events': domainEvents,
  '2026-11-29-18-proposal-expiry': proposalExpiry,
  '2026-11-29-19-lp-token-balances': lpTokenBalances,
  '2026-11-29-20-cut-candidates': cutCandidates,
};
