import { accepted, httpHandler } from '../../shared/http/handler';
import { sendMessage } from '../../shared/queue/send-message';
import { toRedemptionDto } from '../../shared/redemptions/redemption';
import { requestRedemption } from '../../shared/redemptions/request-redemption';
import { routes } from '../routes';

export const handler = httpHandler(routes.requestRedemption, async ({ db, caller, body }) => {
  const request = await requestRedemption(db, caller, body);
  await sendMessage('redemption', { redemption_id: request.id });
  return accepted(toRedemptionDto(request));
});
