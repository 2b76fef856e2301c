import { defineRoute } from '../../shared/http/route';
import { emptyBody } from '../../shared/http/schemas';
import { listProposalsQuery, proposalDto, proposalPath, rejectProposalBody, withdrawProposalBody } from '../../shared/dual-control/schemas';
import { pageOf } from '../../shared/http/cursor';
import { ADMIN, DB } from './access';

/**
 * Dual control: writes one admin proposed (with DUAL_CONTROL=on, the routes marked `dualControl`
 * answer 202 with a proposal), and their approval, rejection or withdrawal. Admins only.
 */
export const proposalRoutes = {
  listProposals: defineRoute({
    method: 'GET',
    path: '/api/proposals',
    access: ADMIN,
    handler: 'functions/proposals/list-proposals.ts',
    summary: 'Dual-control proposals, newest first, optionally by status, action and project',
    request: { query: listProposalsQuery },
    response: { body: pageOf(proposalDto) },
    uses: DB,
  }),
  getProposal: defineRoute({
    method: 'GET',
    path: '/api/proposals/{id}',
    access: ADMIN,
    handler: 'functions/proposals/get-proposal.ts',
    summary: 'A proposal: what it would write, who proposed it, how it was decided',
    request: { path: proposalPath },
    response: { body: proposalDto },
    uses: DB,
  }),
  approveProposal: defineRoute({
    method: 'POST',
    path: '/api/proposals/{id}/approve',
    access: ADMIN,
    handler: 'functions/proposals/approve-proposal.ts',
    summary: 'Approve a pending proposal (not its proposer): its write is checked again and made',
    request: { path: proposalPath, body: emptyBody },
    response: { body: proposalDto },
    example: { body: {} },
    uses: DB,
  }),
  rejectProposal: defineRoute({
    method: 'POST',
    path: '/api/proposals/{id}/reject',
    access: ADMIN,
    handler: 'functions/proposals/reject-proposal.ts',
    summary: 'Reject a pending proposal (not its proposer), with a reason',
    request: { path: proposalPath, body: rejectProposalBody },
    response: { body: proposalDto },
    example: { body: { reason: 'The audited NAV is 1.20, not 1.25' } },
    uses: DB,
  }),
  withdrawProposal: defineRoute({
    method: 'POST',
    path: '/api/proposals/{id}/withdraw',
    access: ADMIN,
    handler: 'functions/proposals/withdraw-proposal.ts',
    summary: 'Withdraw your own pending proposal, optionally saying why',
    request: { path: proposalPath, body: withdrawProposalBody },
    response: { body: proposalDto },
    example: { body: { reason: 'Entered for the wrong project' } },
    uses: DB,
  }),
};
