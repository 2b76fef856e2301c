import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { emptyBody } from '../../shared/http/schemas';
import {
  adminRedemptionDto,
  listRedemptionsQuery,
  lpRedemptionDto,
  redemptionDto,
  redemptionPath,
  rejectRedemptionBody,
  requestRedemptionBody,
} from '../../shared/redemptions/schemas';

/** Redemption routes: requests, their approval, reads. */
export const redemptionRoutes = {
  requestRedemption: defineRoute({
    method: 'POST',
    path: '/api/redemptions',
    access: ['lp'],
    handler: 'functions/redemptions/request-redemption.ts',
    summary: 'Sell LP tokens back at the NAV in force now (202: planned and sent for approval)',
    request: { body: requestRedemptionBody },
    response: { status: 202, body: lpRedemptionDto },
    example: { body: { project_id: '33333333-3333-4333-8333-333333333333', tokens_amount: '250' } },
    uses: ['database', 'redemption-queue'],
  }),
  getRedemption: defineRoute({
    method: 'GET',
    path: '/api/redemptions/{id}',
    access: ['admin', 'lp'],
    handler: 'functions/redemptions/get-redemption.ts',
    summary: 'A redemption request (owner or admin): status, NAV snapshot, value and, once it ended unpaid, the reason; admins also see the funding plan, payments and detailed reasons',
    request: { path: redemptionPath },
    response: { body: redemptionDto },
    uses: ['database'],
  }),
  listRedemptions: defineRoute({
    method: 'GET',
    path: '/api/redemptions',
    access: ['admin', 'lp'],
    handler: 'functions/redemptions/list-redemptions.ts',
    summary: 'Redemption requests: your own, or all for an admin (each as the request above shows it to the caller)',
    request: { query: listRedemptionsQuery },
    response: { body: pageOf(redemptionDto) },
    uses: ['database'],
  }),
  approveRedemption: defineRoute({
    method: 'POST',
    path: '/api/redemptions/{id}/approve',
    access: ['admin'],
    handler: 'functions/redemptions/approve-redemption.ts',
    summary: 'Approve a request awaiting approval: the workflow burns the tokens and pays',
    request: { path: redemptionPath, body: emptyBody },
    response: { body: adminRedemptionDto },
    example: { body: {} },
    uses: ['database', 'redemption-workflow:decide'],
  }),
  rejectRedemption: defineRoute({
    method: 'POST',
    path: '/api/redemptions/{id}/reject',
    access: ['admin'],
    handler: 'functions/redemptions/reject-redemption.ts',
    summary: 'Reject a request awaiting approval, with a reason',
    request: { path: redemptionPath, body: rejectRedemptionBody },
    response: { body: adminRedemptionDto },
    example: { body: { reason: 'The NAV is being restated' } },
    uses: ['database', 'redemption-workflow:decide'],
  }),
};
