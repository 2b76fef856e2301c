import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { rejectRedemption } from '../../shared/redemptions/decide-redemption';
import { toAdminRedemptionDto } from '../../shared/redemptions/redemption';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = postHandler(redemptionRoutes.rejectRedemption, async ({ db, caller, path, body, meta }) =>
  ok(toAdminRedemptionDto(await rejectRedemption(db, caller, path.id, body.reason, meta))),
);
