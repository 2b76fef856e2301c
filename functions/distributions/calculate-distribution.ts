import { toDistributionEventDto } from '../../shared/distributions/event';
import { requestCalculation } from '../../shared/distributions/request-calculation';
import { accepted } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { deliverHandoffs } from '../../shared/outbox/handoff';
import { HANDOFF_KINDS } from '../../shared/outbox/handoffs';
import { distributionRoutes } from '../routes/distributions';

export const handler = postHandler(distributionRoutes.calculateDistribution, async ({ db, caller, path, meta }) => {
  const event = await requestCalculation(db, caller, path.id, meta);
  await deliverHandoffs(db, { subjectId: event.row.id, kind: HANDOFF_KINDS.calculateDistribution });
  return accepted(toDistributionEventDto(event));
});
