import type { cashflowRoutes } from '../../functions/routes/cashflows';
import type { navRoutes } from '../../functions/routes/nav';
import type { treasuryRoutes } from '../../functions/routes/treasury';
import type { walletRoutes } from '../../functions/routes/wallets';
import type { Api } from './api';
import { only, signedIn, type MatrixEntry } from './authorization';
import { cashflowIn, newAddress, recordNav, registerPool, registerWallet } from './treasury-api';

type TreasuryRouteName = keyof typeof navRoutes | keyof typeof cashflowRoutes | keyof typeof treasuryRoutes | keyof typeof walletRoutes;

/** Authorization expectations for the NAV, cashflow, treasury and wallet routes (functions/routes/{nav,cashflows,treasury,wallets}.ts). */
export function treasuryMatrix(api: Api): Record<TreasuryRouteName, MatrixEntry> {
  return {
    recordNav: {
      expect: only(201),
      request: async (s) => ({ path: `/api/projects/${s.projectId}/nav`, body: { nav_per_token: '1.25', source: 'manual' } }),
    },
    listNavHistory: { expect: signedIn(200), request: async (s) => ({ path: `/api/projects/${s.projectId}/nav` }) },
    getNavInForce: {
      expect: signedIn(200),
      request: async (s) => {
        await recordNav(api, s.admin, s.projectId, '1.25');
        return { path: `/api/projects/${s.projectId}/nav/latest` };
      },
    },
    recordCashflow: {
      expect: only(201),
      request: async (s) => ({
        path: `/api/projects/${s.projectId}/cashflows`,
        body: { amount_ngnts: '10.00', source: 'invoice', source_document_url: 'https://docs.example.com/i.pdf' },
      }),
    },
    listProjectCashflows: { expect: only(200), request: async (s) => ({ path: `/api/projects/${s.projectId}/cashflows` }) },
    verifyCashflow: {
      // Recorded by another admin: the scenario's admin may verify it.
      expect: only(200),
      request: async (s) => ({ path: `/api/cashflows/${(await cashflowIn(api, s.projectId, 'recorded')).id}/verify` }),
    },
    tokenizeCashflow: {
      expect: only(200),
      request: async (s) => ({
        path: `/api/cashflows/${(await cashflowIn(api, s.projectId, 'verified')).id}/tokenize`,
        body: { chain_tx_hash: '0xfeed' },
      }),
    },
    recordTreasuryTransaction: {
      expect: only(201),
      request: async (s) => {
        await registerPool(api, s.admin);
        return { path: '/api/treasury/transactions', body: { type: 'inflow', amount_ngnts: '100.00' } };
      },
    },
    listTreasuryTransactions: { expect: only(200), request: async () => ({ path: '/api/treasury/transactions' }) },
    getTreasuryBalance: {
      expect: only(200),
      request: async (s) => {
        await registerPool(api, s.admin);
        return { path: '/api/treasury/balance' };
      },
    },
    listWallets: { expect: only(200), request: async () => ({ path: '/api/wallets' }) },
    registerWallet: {
      expect: only(201),
      request: async () => ({ path: '/api/wallets', body: { address: newAddress(), wallet_type: 'distribution' } }),
    },
    updateWalletSettings: {
      expect: only(200),
      request: async (s) => ({ path: `/api/wallets/${(await registerWallet(api, s.admin)).id}`, body: { min_reserve_threshold: '5.00' } }),
    },
    getWalletBalance: {
      expect: only(200),
      request: async (s) => ({ path: `/api/wallets/${(await registerWallet(api, s.admin)).id}/balance` }),
    },
  };
}
