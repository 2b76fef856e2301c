import { httpHandler, ok } from '../../shared/http/handler';
import { getRedemption } from '../../shared/redemptions/queries';
import { toRedemptionDto } from '../../shared/redemptions/redemption';
import { routes } from '../routes';

export const handler = httpHandler(routes.getRedemption, async ({ db, caller, path }) =>
  ok(toRedemptionDto(await getRedemption(db, caller, path.id))),
);
