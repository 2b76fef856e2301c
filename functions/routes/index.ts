import { cashflowRoutes } from './cashflows';
import { distributionRoutes } from './distributions';
import { docsRoutes } from './docs';
import { eventRoutes } from './events';
import { healthRoutes } from './health';
import { lpTokenRoutes } from './lp-tokens';
import { navRoutes } from './nav';
import { projectRoutes } from './projects';
import { proposalRoutes } from './proposals';
import { redemptionRoutes } from './redemptions';
import { setupRoutes } from './setup';
import { treasuryRoutes } from './treasury';
import { userRoutes } from './users';
import { walletRoutes } from './wallets';
import { withdrawalRoutes } from './withdrawals';

/**
 * Every API operation: method, path, who may call it, its handler module, its request schemas
 * and what a success answers. Each area keeps its entries in functions/routes/<area>.ts, spread in
 * here; a handler imports its area's table, not this one, so that its bundle carries no other
 * area's schemas. Infrastructure creates one Lambda and one API Gateway route per entry, the local
 * stack serves the same entries, and each handler enforces its own entry's access.
 */
export const routes = {
  ...healthRoutes,
  ...docsRoutes,
  ...setupRoutes,
  ...userRoutes,
  ...projectRoutes,
  ...lpTokenRoutes,
  ...distributionRoutes,
  ...withdrawalRoutes,
  ...navRoutes,
  ...cashflowRoutes,
  ...treasuryRoutes,
  ...walletRoutes,
  ...redemptionRoutes,
  ...proposalRoutes,
  ...eventRoutes,
};

export type RouteName = keyof typeof routes;
