import type { Db } from '../db/client';
import { recordForRelay } from '../outbox/handoff';
import { HANDOFF_KINDS, planningHandoff } from '../outbox/handoffs';
import { hasPendingMessage } from '../outbox/outbox.repository';
import { failRedemption } from '../redemptions/fail-redemption';
import { checkItem, type Findings, noFindings } from './findings';
import { forgetSettled, observe, recordHeal } from './observations.repository';
import { ITEMS_PER_RUN, THRESHOLDS } from './thresholds';
import { unplannedRedemptionIds, unplannedRedemptions } from './waiting-work.repository';

const KIND = 'redemption-planning';

/**
 * Pending requests never planned (their message was lost or dead-lettered): handed to the
 * redemption queue again through the outbox; after THRESHOLDS.maxHeals heals without progress
 * the request fails with its reason, which frees the LP's tokens.
 */
export async function healUnplannedRedemptions(db: Db, now: Date): Promise<Findings> {
  const findings = noFindings();
  await forgetSettled(db, KIND, unplannedRedemptionIds);
  for (const request of await unplannedRedemptions(db, ITEMS_PER_RUN)) {
    await checkItem(findings, 'redemption-planning', request.id, async () => {
      const seen = await observe(db, { kind: KIND, subjectId: request.id, progress: request.progress, lastChangedAt: request.updated_at }, now);
      const stalledMs = now.getTime() - seen.unchangedSince.getTime();
      if (stalledMs < THRESHOLDS.planningStallMs) return;
      if (seen.lastHealedAt !== null && now.getTime() - seen.lastHealedAt.getTime() < THRESHOLDS.planningStallMs) return;
      if (await hasPendingMessage(db, request.id, HANDOFF_KINDS.planRedemption)) return;
      if (seen.heals >= THRESHOLDS.maxHeals) {
        const reason = `It could not be planned: the planning step did not run though it was asked ${seen.heals + 1} times; nothing was moved and the tokens can be redeemed again`;
        await failRedemption(db, request.id, { reason, details: { cause: 'not planned', heals: seen.heals } }, now);
        findings.healed.push({ kind: 'redemption-failed', subjectId: request.id, detail: reason });
        return;
      }
      await db.transaction().execute(async (trx) => {
        await recordForRelay(trx, planningHandoff(request.id), now);
        await recordHeal(trx, KIND, request.id, now);
      });
      findings.healed.push({ kind: 'redemption-requeued', subjectId: request.id, detail: `not planned for ${Math.round(stalledMs / 1000)} s` });
    });
  }
  return findings;
}
