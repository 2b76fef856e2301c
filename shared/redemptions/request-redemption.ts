import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { RuleViolationError } from '../errors';
import { recordDomainEvent } from '../events/record-domain-event';
import type { Caller } from '../identity/caller';
import { currentBalance, lockBalances } from '../lp-tokens/ledger.repository';
import { navInForce } from '../nav/nav.repository';
import { recordHandoff } from '../outbox/handoff';
import { planningHandoff } from '../outbox/handoffs';
import { lockProjectForLedger } from '../projects/projects.repository';
import { asText, beyond, NAV_PER_TOKEN, NGNTS } from '../quantities';
import { redemptionEventFields } from './redemption';
import { insertRedemption, openRedemptionTokens, type RedemptionRow } from './redemptions.repository';
import type { RequestRedemptionInput } from './schemas';

/**
 * An LP asks to sell tokens back at the NAV in force now. Under the holder's balance lock, the
 * amount may not exceed their balance less tokens already in open requests, so concurrent
 * requests can never together redeem more than is held. The value is rounded down to the kobo,
 * in the pool's favour, and may not be more than NGNTS hold (422, naming the limit): the request,
 * its funding plan and its payments all keep it. The request and its hand-off to the planning queue commit together; the
 * caller delivers the hand-off after the commit (deliverHandoffs), or the relay does.
 */
export async function requestRedemption(db: Db, lp: Caller, input: RequestRedemptionInput, now: Date = new Date()): Promise<RedemptionRow> {
  const projectId = input.project_id;
  return db.transaction().execute(async (trx) => {
    if ((await lockProjectForLedger(trx, projectId)) === undefined) {
      throw new RuleViolationError(`Project ${projectId} does not exist`, { project_id: projectId });
    }
    await lockBalances(trx, projectId, [lp.id]);
    const balance = new Decimal(await currentBalance(trx, projectId, lp.id));
    const open = new Decimal(await openRedemptionTokens(trx, lp.id, projectId));
    const available = balance.minus(open);
    if (input.tokens_amount.greaterThan(available)) {
      throw new RuleViolationError(`Only ${available.toFixed(7)} tokens can be redeemed`, {
        balance: balance.toFixed(7),
        in_open_requests: open.toFixed(7),
        available: available.toFixed(7),
      });
    }
    const navEntry = await navInForce(trx, projectId, now);
    if (navEntry === undefined) throw new RuleViolationError(`Project ${projectId} has no NAV per token yet`, { project_id: projectId });
    const nav = navEntry.nav_per_token;
    const value = input.tokens_amount.times(nav).toDecimalPlaces(2, Decimal.ROUND_DOWN);
    const tooMuch = beyond(
      NGNTS,
      value,
      (limit) => `These tokens are worth ${asText(NGNTS, value)} NGNTS at the current NAV, past the most a redemption may be worth, ${limit}`,
      { nav_per_token: nav, redemption_value_ngnts: asText(NGNTS, value) },
    );
    if (tooMuch !== undefined) throw tooMuch;
    if (value.isZero()) {
      throw new RuleViolationError('These tokens are worth less than 0.01 NGNTS at the current NAV', { nav_per_token: nav });
    }
    const request = await insertRedemption(trx, { userId: lp.id, projectId, tokens: input.tokens_amount, nav: new Decimal(nav), navEntryId: navEntry.id, value });
    await recordHandoff(trx, planningHandoff(request.id), now);
    await recordDomainEvent(trx, {
      type: 'redemption.requested',
      subjectId: request.id,
      detail: { ...redemptionEventFields(request), nav_per_token: asText(NAV_PER_TOKEN, nav) },
    });
    return request;
  });
}
