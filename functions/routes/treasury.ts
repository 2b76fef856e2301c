/** Treasury routes: NAV history, cashflows, the treasury pool, wallets. */
export const treasuryRoutes = {};
