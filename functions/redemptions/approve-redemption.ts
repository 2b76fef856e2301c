import { httpHandler, ok } from '../../shared/http/handler';
import { approveRedemption } from '../../shared/redemptions/decide-redemption';
import { toRedemptionDto } from '../../shared/redemptions/redemption';
import { routes } from '../routes';

export const handler = httpHandler(routes.approveRedemption, async ({ db, caller, path, meta }) =>
  ok(toRedemptionDto(await approveRedemption(db, caller, path.id, meta))),
);
