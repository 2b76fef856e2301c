import {
  cashflowDto,
  cashflowPath,
  listCashflowsQuery,
  recordCashflowBody,
  tokenizeCashflowBody,
} from '../../shared/cashflows/schemas';
import { pageOf } from '../../shared/http/cursor';
import { emptyBody } from '../../shared/http/schemas';
import { defineRoute } from '../../shared/http/route';
import { navEntryDto, navHistoryQuery, navInForceDto, navInForceQuery, recordedNavDto, recordNavBody } from '../../shared/nav/schemas';
import { projectIdPath } from '../../shared/projects/schemas';
import {
  listTreasuryTransactionsQuery,
  recordTreasuryTransactionBody,
  treasuryTransactionDto,
  walletBalanceDto,
} from '../../shared/treasury/schemas';
import { listWalletsQuery, registerWalletBody, updateWalletSettingsBody, walletDto, walletPath } from '../../shared/wallets/schemas';
import { ADMIN, DB, SIGNED_IN } from './access';

/**
 * Treasury routes: NAV history, cashflows, the treasury pool, wallets. Everything that moves or
 * values money is admin-only; LPs may read a project's NAV. Cashflows stay admin-only too: until
 * verified they are unchecked claims, and their source documents are internal.
 */
export const treasuryRoutes = {
  recordNav: defineRoute({
    method: 'POST',
    path: '/api/projects/{projectId}/nav',
    access: ADMIN,
    handler: 'functions/nav/record-nav.ts',
    summary: "Append a NAV entry; the project's current NAV becomes the latest effective one's",
    request: { path: projectIdPath, body: recordNavBody },
    response: { status: 201, body: recordedNavDto },
    dualControl: 'Every entry',
    example: { body: { nav_per_token: '1.25', source: 'audited', effective_at: '2026-03-31T00:00:00Z' } },
    uses: DB,
  }),
  listNavHistory: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/nav',
    access: SIGNED_IN,
    handler: 'functions/nav/list-nav-history.ts',
    summary: "A project's NAV history, latest effective first",
    request: { path: projectIdPath, query: navHistoryQuery },
    response: { body: pageOf(navEntryDto) },
    uses: DB,
  }),
  getNavInForce: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/nav/latest',
    access: SIGNED_IN,
    handler: 'functions/nav/get-nav-in-force.ts',
    summary: 'The NAV in force at an instant (as_of, default now)',
    request: { path: projectIdPath, query: navInForceQuery },
    response: { body: navInForceDto },
    uses: DB,
  }),

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

  recordTreasuryTransaction: defineRoute({
    method: 'POST',
    path: '/api/treasury/transactions',
    access: ADMIN,
    handler: 'functions/treasury/record-treasury-transaction.ts',
    summary: 'Record an inflow, allocation, buyback, replenishment or fee (outflows keep the minimum reserve)',
    request: { body: recordTreasuryTransactionBody },
    response: { status: 201, body: treasuryTransactionDto },
    dualControl: 'A credit to the pool from outside without a cashflow (an inflow without cashflow_id, a replenish without source_wallet)',
    example: { body: { type: 'inflow', amount_ngnts: '1500000.00', cashflow_id: '44444444-4444-4444-8444-444444444444' } },
    uses: DB,
  }),
  listTreasuryTransactions: defineRoute({
    method: 'GET',
    path: '/api/treasury/transactions',
    access: ADMIN,
    handler: 'functions/treasury/list-treasury-transactions.ts',
    summary: 'Treasury transactions, newest first, optionally by type and source project',
    request: { query: listTreasuryTransactionsQuery },
    response: { body: pageOf(treasuryTransactionDto) },
    uses: DB,
  }),
  getTreasuryBalance: defineRoute({
    method: 'GET',
    path: '/api/treasury/balance',
    access: ADMIN,
    handler: 'functions/treasury/get-treasury-balance.ts',
    summary: "The treasury pool's balance, minimum reserve and spendable amount (404 while no wallet is the pool)",
    request: {},
    response: { body: walletBalanceDto },
    problems: [404],
    uses: DB,
  }),

  listWallets: defineRoute({
    method: 'GET',
    path: '/api/wallets',
    access: ADMIN,
    handler: 'functions/wallets/list-wallets.ts',
    summary: 'Platform wallets, newest first, optionally by role',
    request: { query: listWalletsQuery },
    response: { body: pageOf(walletDto) },
    uses: DB,
  }),
  registerWallet: defineRoute({
    method: 'POST',
    path: '/api/wallets',
    access: ADMIN,
    handler: 'functions/wallets/register-wallet.ts',
    summary: 'Register a platform wallet (its role defaults from its type; one treasury pool)',
    request: { body: registerWalletBody },
    response: { status: 201, body: walletDto },
    example: { body: { address: '0xTreasuryPool01', label: 'Treasury pool', wallet_type: 'treasury', min_reserve_threshold: '50000.00' } },
    uses: DB,
  }),
  updateWalletSettings: defineRoute({
    method: 'PATCH',
    path: '/api/wallets/{id}',
    access: ADMIN,
    handler: 'functions/wallets/update-wallet-settings.ts',
    summary: "Set a wallet's role and/or minimum reserve",
    request: { path: walletPath, body: updateWalletSettingsBody },
    response: { body: walletDto },
    example: { body: { min_reserve_threshold: '75000.00' } },
    uses: DB,
  }),
  getWalletBalance: defineRoute({
    method: 'GET',
    path: '/api/wallets/{id}/balance',
    access: ADMIN,
    handler: 'functions/wallets/get-wallet-balance.ts',
    summary: "A wallet's balance, minimum reserve and spendable amount",
    request: { path: walletPath },
    response: { body: walletBalanceDto },
    uses: DB,
  }),
};
