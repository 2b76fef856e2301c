import { issueProposals } from '../lp-tokens/issue-proposals';
import { navProposals } from '../nav/nav-proposals';
import { poolCreditProposals } from '../treasury/credit-proposals';
import type { DualControlled } from './dual-controlled';
import type { ProposalAction } from './proposal';

/** Every write dual control covers, by the action its proposals carry. */
export const DUAL_CONTROLLED_WRITES: Readonly<Record<ProposalAction, Pick<DualControlled<unknown>, 'applyApproved'>>> = {
  'nav.record': navProposals,
  'lp_tokens.issue': issueProposals,
  'treasury.inflow': poolCreditProposals,
  'treasury.replenish': poolCreditProposals,
};
