import { httpHandler, ok } from '../../shared/http/handler';
import { listRedemptionRequests } from '../../shared/redemptions/queries';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = httpHandler(redemptionRoutes.listRedemptions, async ({ db, caller, query }) =>
  ok(await listRedemptionRequests(db, caller, query)),
);
