import { toDistributionEventDto } from '../../shared/distributions/event';
import { requestCalculation } from '../../shared/distributions/request-calculation';
import { accepted, httpHandler } from '../../shared/http/handler';
import { sendMessage } from '../../shared/queue/send-message';
import { routes } from '../routes';

export const handler = httpHandler(routes.calculateDistribution, async ({ db, caller, path, meta }) => {
  const event = await requestCalculation(db, caller, path.id, meta);
  // After the commit: a message can never name an event that is not yet `calculating`.
  await sendMessage('allocation', { event_id: event.row.id });
  return accepted(toDistributionEventDto(event));
});
