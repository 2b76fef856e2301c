import { createDistributionEvent } from '../../shared/distributions/create-event';
import { toDistributionEventDto } from '../../shared/distributions/event';
import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = postHandler(distributionRoutes.createDistribution, async ({ db, caller, body, meta }) => {
  const event = await createDistributionEvent(db, caller, body, meta);
  return created(toDistributionEventDto(event), `/api/distributions/${event.row.id}`);
});
