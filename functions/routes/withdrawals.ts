import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { emptyBody } from '../../shared/http/schemas';
import { allocationPath, listWithdrawalsQuery, recordPaymentBody, rejectWithdrawalBody, requestWithdrawalBody, withdrawalDto, withdrawalPath } from '../../shared/withdrawals/schemas';
import { ADMIN, DB, LP, SIGNED_IN } from './access';

/** Withdrawals of allocations: requested by LPs, approved or rejected and paid by admins. */
export const withdrawalRoutes = {
  requestWithdrawal: defineRoute({
    method: 'POST',
    path: '/api/distributions/allocations/{allocationId}/withdrawals',
    access: LP,
    handler: 'functions/withdrawals/request-withdrawal.ts',
    summary: 'Request a withdrawal from your allocation (the amount is held at once)',
    request: { path: allocationPath, body: requestWithdrawalBody },
    response: { status: 201, body: withdrawalDto },
    example: { body: { amount: '100000' } },
    uses: DB,
  }),
  approveWithdrawal: defineRoute({
    method: 'POST',
    path: '/api/withdrawals/{id}/approve',
    access: ADMIN,
    handler: 'functions/withdrawals/approve-withdrawal.ts',
    summary: 'Approve a pending withdrawal request',
    request: { path: withdrawalPath, body: emptyBody },
    response: { body: withdrawalDto },
    example: { body: {} },
    uses: DB,
  }),
  rejectWithdrawal: defineRoute({
    method: 'POST',
    path: '/api/withdrawals/{id}/reject',
    access: ADMIN,
    handler: 'functions/withdrawals/reject-withdrawal.ts',
    summary: 'Reject a withdrawal request: its amount is available again',
    request: { path: withdrawalPath, body: rejectWithdrawalBody },
    response: { body: withdrawalDto },
    example: { body: { reason: 'Bank details do not match the LP' } },
    uses: DB,
  }),
  recordWithdrawalPayment: defineRoute({
    method: 'POST',
    path: '/api/withdrawals/{id}/payments',
    access: ADMIN,
    handler: 'functions/withdrawals/record-withdrawal-payment.ts',
    summary: 'Record the payment of an approved withdrawal',
    request: { path: withdrawalPath, body: recordPaymentBody },
    response: { body: withdrawalDto },
    example: { body: { payment_reference: 'NIP-000123' } },
    uses: DB,
  }),
  listWithdrawals: defineRoute({
    method: 'GET',
    path: '/api/withdrawals',
    access: SIGNED_IN,
    handler: 'functions/withdrawals/list-withdrawals.ts',
    summary: 'Withdrawal requests: your own, or all for an admin',
    request: { query: listWithdrawalsQuery },
    response: { body: pageOf(withdrawalDto) },
    uses: DB,
  }),
};
