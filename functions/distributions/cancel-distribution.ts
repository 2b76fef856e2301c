import { toDistributionEventDto } from '../../shared/distributions/event';
import { cancelDistributionEvent } from '../../shared/distributions/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.cancelDistribution, async ({ db, caller, path, body, meta }) =>
  ok(toDistributionEventDto(await cancelDistributionEvent(db, caller, path.id, body.cancellation_reason, meta))),
);
