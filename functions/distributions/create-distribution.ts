import { createDistributionEvent } from '../../shared/distributions/create-event';
import { toDistributionEventDto } from '../../shared/distributions/event';
import { created, httpHandler } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.createDistribution, async ({ db, caller, body, meta }) => {
  const event = await createDistributionEvent(db, caller, body, meta);
  return created(toDistributionEventDto(event), `/api/distributions/${event.row.id}`);
});
