import { toDistributionEventDto } from '../../shared/distributions/event';
import { getDistributionEvent } from '../../shared/distributions/queries';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.getDistribution, async ({ db, path }) =>
  ok(toDistributionEventDto(await getDistributionEvent(db, path.id))),
);
