import type { treasuryRoutes } from '../../functions/routes/treasury';
import type { Api } from './api';
import type { MatrixEntry } from './authorization';

/** Authorization expectations for the treasury routes (functions/routes/treasury.ts). */
export function treasuryMatrix(_api: Api): Record<keyof typeof treasuryRoutes, MatrixEntry> {
  return {};
}
