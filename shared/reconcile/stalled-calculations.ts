import type { Db } from '../db/client';
import { failCalculation } from '../distributions/calculation/fail-calculation';
import { recordForRelay } from '../outbox/handoff';
import { calculationHandoff, HANDOFF_KINDS } from '../outbox/handoffs';
import { hasPendingMessage } from '../outbox/outbox.repository';
import { checkItem, type Findings, noFindings } from './findings';
import { forgetSettled, observe, recordHeal } from './observations.repository';
import { ITEMS_PER_RUN, THRESHOLDS } from './thresholds';
import { calculatingEventIds, calculatingEvents } from './waiting-work.repository';

const KIND = 'calculation';

/**
 * Calculations that have not moved for longer than their worker may run: no worker is on them
 * (the message was lost, or went to the dead-letter queue after timeouts). Each is handed to the
 * allocation queue again through the outbox, at most once per stall; after THRESHOLDS.maxHeals
 * heals without progress it is failed with its reason, so an admin can fix the cause.
 */
export async function healStalledCalculations(db: Db, now: Date): Promise<Findings> {
  const findings = noFindings();
  await forgetSettled(db, KIND, calculatingEventIds);
  for (const event of await calculatingEvents(db, ITEMS_PER_RUN)) {
    await checkItem(findings, 'calculation', event.id, async () => {
      const seen = await observe(db, { kind: KIND, subjectId: event.id, progress: event.progress, lastChangedAt: event.updated_at }, now);
      const stalledMs = now.getTime() - seen.unchangedSince.getTime();
      if (stalledMs < THRESHOLDS.calculationStallMs) return;
      if (seen.lastHealedAt !== null && now.getTime() - seen.lastHealedAt.getTime() < THRESHOLDS.calculationStallMs) return;
      // A message still in the outbox is the relay's to deliver.
      if (await hasPendingMessage(db, event.id, HANDOFF_KINDS.calculateDistribution)) return;
      if (seen.heals >= THRESHOLDS.maxHeals) {
        const reason = `No progress for ${Math.round(stalledMs / 60_000)} minutes, though sent to the worker again ${seen.heals} times: the calculation was stopped; calculate again once the cause is fixed`;
        await failCalculation(db, { eventId: event.id, projectId: event.project_id, requestedBy: event.requested_by }, reason);
        findings.healed.push({ kind: 'calculation-failed', subjectId: event.id, detail: reason });
        return;
      }
      await db.transaction().execute(async (trx) => {
        await recordForRelay(trx, calculationHandoff(event.id), now);
        await recordHeal(trx, KIND, event.id, now);
      });
      findings.healed.push({ kind: 'calculation-requeued', subjectId: event.id, detail: `no progress for ${Math.round(stalledMs / 1000)} s` });
    });
  }
  return findings;
}
