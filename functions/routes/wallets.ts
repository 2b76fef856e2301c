import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { listWalletsQuery, registerWalletBody, updateWalletSettingsBody, walletBalanceDto, walletDto, walletPath } from '../../shared/wallets/schemas';
import { ADMIN, DB } from './access';

/** Platform wallet routes, admin-only. */
export const walletRoutes = {
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
