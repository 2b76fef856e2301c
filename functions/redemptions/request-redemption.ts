import { accepted } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { deliverHandoffs } from '../../shared/outbox/handoff';
import { HANDOFF_KINDS } from '../../shared/outbox/handoffs';
import { toLpRedemptionDto } from '../../shared/redemptions/redemption';
import { requestRedemption } from '../../shared/redemptions/request-redemption';
import { redemptionRoutes } from '../routes/redemptions';

export const handler = postHandler(redemptionRoutes.requestRedemption, async ({ db, caller, body }) => {
  const request = await requestRedemption(db, caller, body);
  await deliverHandoffs(db, { subjectId: request.id, kind: HANDOFF_KINDS.planRedemption });
  return accepted(toLpRedemptionDto(request));
});
