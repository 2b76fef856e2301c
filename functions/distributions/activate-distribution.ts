import { toDistributionEventDto } from '../../shared/distributions/event';
import { activateDistributionEvent } from '../../shared/distributions/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = postHandler(distributionRoutes.activateDistribution, async ({ db, caller, path, meta }) =>
  ok(toDistributionEventDto(await activateDistributionEvent(db, caller, path.id, meta))),
);
