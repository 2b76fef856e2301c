import { httpHandler, ok } from '../../shared/http/handler';
import { getRedemption } from '../../shared/redemptions/queries';
import { redemptionDtoFor } from '../../shared/redemptions/redemption';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = httpHandler(redemptionRoutes.getRedemption, async ({ db, caller, path }) =>
  ok(redemptionDtoFor(caller)(await getRedemption(db, caller, path.id))),
);
