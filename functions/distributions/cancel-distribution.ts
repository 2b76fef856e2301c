import { toDistributionEventDto } from '../../shared/distributions/event';
import { cancelDistributionEvent } from '../../shared/distributions/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.cancelDistribution, async ({ db, caller, path, body, meta }) =>
  ok(toDistributionEventDto(await cancelDistributionEvent(db, caller, path.id, body.cancellation_reason, meta))),
);
