import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { approveRedemption } from '../../shared/redemptions/decide-redemption';
import { toAdminRedemptionDto } from '../../shared/redemptions/redemption';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = postHandler(redemptionRoutes.approveRedemption, async ({ db, caller, path, meta }) =>
  ok(toAdminRedemptionDto(await approveRedemption(db, caller, path.id, meta))),
);
