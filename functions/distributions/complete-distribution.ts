import { toDistributionEventDto } from '../../shared/distributions/event';
import { completeDistributionEvent } from '../../shared/distributions/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = httpHandler(distributionRoutes.completeDistribution, async ({ db, caller, path, body, meta }) =>
  ok(toDistributionEventDto(await completeDistributionEvent(db, caller, path.id, body.reason, meta))),
);
