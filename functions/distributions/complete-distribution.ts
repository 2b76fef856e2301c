import { toDistributionEventDto } from '../../shared/distributions/event';
import { completeDistributionEvent } from '../../shared/distributions/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { distributionRoutes } from '../routes/distributions';

export const handler = postHandler(distributionRoutes.completeDistribution, async ({ db, caller, path, body, meta }) =>
  ok(toDistributionEventDto(await completeDistributionEvent(db, caller, path.id, body.reason, meta))),
);
