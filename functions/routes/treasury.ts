import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { listTreasuryTransactionsQuery, recordTreasuryTransactionBody, treasuryTransactionDto } from '../../shared/treasury/schemas';
import { walletBalanceDto } from '../../shared/wallets/schemas';
import { ADMIN, DB } from './access';

/** Treasury pool routes, admin-only: everything that moves or values money. */
export const treasuryRoutes = {
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

};
