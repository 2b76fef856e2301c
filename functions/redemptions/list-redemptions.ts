import { httpHandler, ok } from '../../shared/http/handler';
import { listRedemptionRequests } from '../../shared/redemptions/queries';
import { routes } from '../routes';

export const handler = httpHandler(routes.listRedemptions, async ({ db, caller, query }) =>
  ok(await listRedemptionRequests(db, caller, query)),
);
