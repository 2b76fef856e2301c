import { cashflowDto, cashflowPath, listCashflowsQuery, recordCashflowBody, tokenizeCashflowBody } from '../../shared/cashflows/schemas';
import { pageOf } from '../../shared/http/cursor';
import { emptyBody } from '../../shared/http/schemas';
import { defineRoute } from '../../shared/http/route';
import { projectIdPath } from '../../shared/projects/schemas';
import { ADMIN, DB } from './access';

/**
 * Cashflow routes, admin-only: until verified a cashflow is an unchecked claim, and its source
 * documents are internal.
 */
export const cashflowRoutes = {
  recordCashflow: defineRoute({
    method: 'POST',
    path: '/api/projects/{projectId}/cashflows',
    access: ADMIN,
    handler: 'functions/cashflows/record-cashflow.ts',
    summary: "Record a project's cashflow, to be verified by another admin",
    request: { path: projectIdPath, body: recordCashflowBody },
    response: { status: 201, body: cashflowDto },
    example: { body: { amount_ngnts: '1500000.00', source: 'March PPA invoice', source_document_url: 'https://example.com/invoices/2026-03.pdf' } },
    uses: DB,
  }),
  listProjectCashflows: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/cashflows',
    access: ADMIN,
    handler: 'functions/cashflows/list-project-cashflows.ts',
    summary: "A project's cashflows, newest first, optionally by status",
    request: { path: projectIdPath, query: listCashflowsQuery },
    response: { body: pageOf(cashflowDto) },
    uses: DB,
  }),
  verifyCashflow: defineRoute({
    method: 'POST',
    path: '/api/cashflows/{id}/verify',
    access: ADMIN,
    handler: 'functions/cashflows/verify-cashflow.ts',
    summary: 'Verify a recorded cashflow (not by the admin who recorded it)',
    request: { path: cashflowPath, body: emptyBody },
    response: { body: cashflowDto },
    example: { body: {} },
    uses: DB,
  }),
  tokenizeCashflow: defineRoute({
    method: 'POST',
    path: '/api/cashflows/{id}/tokenize',
    access: ADMIN,
    handler: 'functions/cashflows/tokenize-cashflow.ts',
    summary: 'Mark a verified cashflow tokenized, with its chain transaction hash',
    request: { path: cashflowPath, body: tokenizeCashflowBody },
    response: { body: cashflowDto },
    example: { body: { chain_tx_hash: '0x9f1c2e' } },
    uses: DB,
  }),

};
