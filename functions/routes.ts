import { distributionRoutes } from './routes/distributions';
import { docsRoutes } from './routes/docs';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { lpTokenRoutes } from './routes/lp-tokens';
import { projectRoutes } from './routes/projects';
import { proposalRoutes } from './routes/proposals';
import { redemptionRoutes } from './routes/redemptions';
import { setupRoutes } from './routes/setup';
import { treasuryRoutes } from './routes/treasury';
import { userRoutes } from './routes/users';
import { withdrawalRoutes } from './routes/withdrawals';

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
  ...treasuryRoutes,
  ...redemptionRoutes,
  ...proposalRoutes,
  ...eventRoutes,
};

export type RouteName = keyof typeof routes;
