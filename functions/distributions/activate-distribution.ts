import { toDistributionEventDto } from '../../shared/distributions/event';
import { activateDistributionEvent } from '../../shared/distributions/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.activateDistribution, async ({ db, caller, path, meta }) =>
  ok(toDistributionEventDto(await activateDistributionEvent(db, caller, path.id, meta))),
);
