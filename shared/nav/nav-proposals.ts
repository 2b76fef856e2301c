import { dualControlled, requiredProject } from '../dual-control/dual-controlled';
import { ConflictError } from '../errors';
import { NAV_SCALE } from './nav-entry';
import { countNavEntriesFrom } from './nav.repository';
import { prepareNav, writeNav } from './record-nav';
import { recordNavBody } from './schemas';

/**
 * A NAV entry under dual control. It is stored with its instant resolved (a NAV "as of now" is as
 * of when it was proposed), and approving it is refused once another entry dated at or after it
 * has been recorded since: it would no longer be the NAV in force from its instant that its
 * proposer meant it to be.
 */
export const navProposals = dualControlled({
  body: recordNavBody,
  prepare: (trx, projectId, body, now) => prepareNav(trx, requiredProject(projectId), body, now),
  proposal: (plan) => ({
    action: 'nav.record',
    projectId: plan.projectId,
    request: {
      nav_per_token: plan.navPerToken.toFixed(NAV_SCALE),
      source: plan.source,
      effective_at: plan.effectiveAt.toISOString(),
      ...(plan.notes === null ? {} : { notes: plan.notes }),
    },
  }),
  basis: async (trx, plan) => ({ entries_dated_from: await countNavEntriesFrom(trx, plan.projectId, plan.effectiveAt) }),
  assertStillCurrent: async (trx, plan, basis) => {
    const since = (await countNavEntriesFrom(trx, plan.projectId, plan.effectiveAt)) - Number(basis.entries_dated_from ?? 0);
    if (since > 0) {
      const entries = since === 1 ? 'entry dated at or after it has' : 'entries dated at or after it have';
      throw new ConflictError(
        `${since} NAV ${entries} been recorded since this NAV of ${plan.effectiveAt.toISOString()} was proposed; ` +
          'reject it, and propose it again if it still stands',
        { effective_at: plan.effectiveAt.toISOString(), recorded_since: since },
      );
    }
  },
  write: async (trx, plan, by) => (await writeNav(trx, plan, by)).entry,
});
