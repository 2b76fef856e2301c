import { dualControlEnabled } from '../../shared/config';
import { toProposalDto } from '../../shared/dual-control/proposal';
import { accepted, created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { creditsPoolWithoutCashflow, poolCreditProposals } from '../../shared/treasury/credit-proposals';
import { recordTreasuryTransaction } from '../../shared/treasury/record-transaction';
import { toTreasuryTransactionDto } from '../../shared/treasury/transaction';
import { treasuryRoutes } from '../routes/treasury';

export const handler = postHandler(treasuryRoutes.recordTreasuryTransaction, async ({ db, caller, body }) => {
  // Under dual control a credit to the pool without a cashflow waits for a second admin: 202 with the proposal.
  if (dualControlEnabled() && creditsPoolWithoutCashflow(body)) {
    return accepted(toProposalDto(await poolCreditProposals.propose(db, caller, null, body)));
  }
  return created(toTreasuryTransactionDto(await recordTreasuryTransaction(db, caller, body)));
});
