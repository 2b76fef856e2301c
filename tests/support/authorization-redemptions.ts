import type { redemptionRoutes } from '../../functions/routes/redemptions';
import type { Api } from './api';
import type { MatrixEntry } from './authorization';

/** Authorization expectations for the redemption routes (functions/routes/redemptions.ts). */
export function redemptionMatrix(_api: Api): Record<keyof typeof redemptionRoutes, MatrixEntry> {
  return {};
}
