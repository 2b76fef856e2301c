import type { Db } from '../../db/client';
import { recordDomainEvent } from '../../events/record-domain-event';
import { REASON_MAX_CHARS, storableText } from '../../http/schemas';
import { logger } from '../../logger';
import { recordDistributionActivity } from '../activity.repository';
import { failCalculatingEvent } from './calculation.repository';
import { deleteCutCandidates } from './guessed-cut.repository';

/**
 * Marks a calculation failed with its reason, so an admin can fix the cause and calculate again.
 * A module of its own: the reconciler ends stalled calculations without carrying the calculation.
 */
export async function failCalculation(db: Db, calculation: { eventId: string; projectId: string; requestedBy: string }, why: string) {
  // Often a database's message: kept to the text rule and the width reads are sized for.
  const reason = storableText(why, REASON_MAX_CHARS);
  await db.transaction().execute(async (trx) => {
    if (!(await failCalculatingEvent(trx, calculation.eventId, reason))) return;
    // A guessed write's candidates are of no use to a failed event: a recalculation guesses again.
    await deleteCutCandidates(trx, calculation.eventId);
    await recordDistributionActivity(trx, {
      eventId: calculation.eventId,
      projectId: calculation.projectId,
      activityType: 'calculation_failed',
      performedBy: calculation.requestedBy,
      previousStatus: 'calculating',
      newStatus: 'failed',
      changesSummary: { reason },
    });
    await recordDomainEvent(trx, {
      type: 'distribution.failed',
      subjectId: calculation.eventId,
      detail: { project_id: calculation.projectId, distribution_event_id: calculation.eventId, reason },
    });
  });
  logger.warn('Allocation calculation failed', { event_id: calculation.eventId, reason });
}
