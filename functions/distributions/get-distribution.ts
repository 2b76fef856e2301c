import { toDistributionEventDto } from '../../shared/distributions/event';
import { getDistributionEvent } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.getDistribution, async ({ db, path }) =>
  ok(toDistributionEventDto(await getDistributionEvent(db, path.id))),
);
