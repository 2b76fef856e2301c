import { httpHandler, ok } from '../../shared/http/handler';
import { rejectRedemption } from '../../shared/redemptions/decide-redemption';
import { toAdminRedemptionDto } from '../../shared/redemptions/redemption';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = httpHandler(redemptionRoutes.rejectRedemption, async ({ db, caller, path, body, meta }) =>
  ok(toAdminRedemptionDto(await rejectRedemption(db, caller, path.id, body.reason, meta))),
);
