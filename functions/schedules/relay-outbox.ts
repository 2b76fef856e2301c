import { getDb } from '../../shared/db/client';
import { logger } from '../../shared/logger';
import { RELAY_CALL_TIMEOUT_MS, relayOutbox } from '../../shared/outbox/relay';
import { redemptionRefusals } from '../../shared/redemptions/handoff-refusals';
import { scheduledHandler } from '../../shared/schedules/scheduled-handler';

/** Stops taking messages while one more call and its bookkeeping could still finish. */
const STOP_MARGIN_MS = RELAY_CALL_TIMEOUT_MS + 5_000;

/** Every minute: delivers what the outbox holds and its producers could not (functions/schedules/index.ts). */
export const handler = scheduledHandler('relay-outbox', async (context) => {
  const report = await relayOutbox(getDb(), {
    refusals: redemptionRefusals,
    hasTimeLeft: () => context.getRemainingTimeInMillis() > STOP_MARGIN_MS,
  });
  logger.info('Outbox relayed', { ...report });
});
