import { httpHandler, ok } from '../../shared/http/handler';
import { approveRedemption } from '../../shared/redemptions/decide-redemption';
import { toAdminRedemptionDto } from '../../shared/redemptions/redemption';
import { routes } from '../routes';

export const handler = httpHandler(routes.approveRedemption, async ({ db, caller, path, meta }) =>
  ok(toAdminRedemptionDto(await approveRedemption(db, caller, path.id, meta))),
);
