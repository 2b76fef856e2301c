import type * as z from '../zod';
import type { Db } from '../db/client';
import { ConflictError } from '../errors';
import type { Caller } from '../identity/caller';
import type { Authorship } from './authorship';
import type { ProposalAction, ProposalRow } from './proposal';
import { openProposal } from './transitions';

/**
 * A write dual control covers, described once for both ways it happens under it: proposed
 * (checked as the direct write checks it, then stored) and approved (checked again under the
 * direct write's locks, then written). `prepare` and `write` are the direct write's two halves,
 * so a proposal meets the same 4xx as the route would answer, and an approval the same again.
 */
export interface DualControlledWrite<Body, Plan> {
  /** The route's body schema: a stored request is parsed with it again when approved. */
  body: z.ZodMiniType<Body>;
  /** The direct write's checks, under its locks; the plan holds what they resolved (an instant, the pool). */
  prepare(trx: Db, projectId: string | null, body: Body, now: Date): Promise<Plan>;
  /** What a proposal of the plan stores: its action, its project and the request with those resolutions filled in. */
  proposal(plan: Plan): { action: ProposalAction; projectId: string | null; request: Record<string, unknown> };
  /** What the proposer saw that `assertStillCurrent` checks again (read under the same locks). */
  basis?(trx: Db, plan: Plan): Promise<Record<string, unknown>>;
  /** Refuses (409) an approval the world has moved past since the proposal was made. */
  assertStillCurrent?(trx: Db, plan: Plan, basis: Record<string, unknown>): Promise<void>;
  /** Refuses (403) an approver with a stake in the write. */
  assertDisinterested?(plan: Plan, approver: Caller): void;
  /** The direct write's writes with its audit row; answers the id of the row it wrote. */
  write(trx: Db, plan: Plan, by: Authorship): Promise<{ id: string }>;
}

export interface DualControlled<Body> {
  /** Checks the request as the direct write would, under its locks, and stores it as a pending proposal. */
  propose(db: Db, admin: Caller, projectId: string | null, body: Body, now?: Date): Promise<ProposalRow>;
  /** Inside an approval's transaction: checks the stored request again and writes it; answers the row written. */
  applyApproved(trx: Db, proposal: ProposalRow, approver: Caller, now: Date): Promise<string>;
}

/**
 * The propose and approve halves of a dual-controlled write.
 *
 * @example
 * export const navProposals = dualControlled({ body: recordNavBody, prepare: prepareNav, write: writeNav, … });
 * await navProposals.propose(db, admin, projectId, body); // 202 with the proposal
 */
export function dualControlled<Body, Plan>(write: DualControlledWrite<Body, Plan>): DualControlled<Body> {
  return {
    propose: (db, admin, projectId, body, now = new Date()) =>
      db.transaction().execute(async (trx) => {
        const plan = await write.prepare(trx, projectId, body, now);
        const basis = (await write.basis?.(trx, plan)) ?? null;
        return openProposal(trx, admin, { ...write.proposal(plan), basis });
      }),

    applyApproved: async (trx, proposal, approver, now) => {
      const parsed = write.body.safeParse(proposal.request);
      if (!parsed.success) {
        // The route's validation has changed since: what was proposed is no longer a valid request.
        throw new ConflictError('The proposed request no longer passes the route’s validation; reject it and propose it again', {
          errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
        });
      }
      const plan = await write.prepare(trx, proposal.project_id, parsed.data, now);
      write.assertDisinterested?.(plan, approver);
      await write.assertStillCurrent?.(trx, plan, (proposal.basis ?? {}) as Record<string, unknown>);
      const written = await write.write(trx, plan, {
        authorId: proposal.proposed_by,
        approval: { proposalId: proposal.id, approvedBy: approver.id },
      });
      return written.id;
    },
  };
}

/** The project of a write that has one (NAV, tokens): a proposal of it always names it. */
export function requiredProject(projectId: string | null): string {
  if (projectId === null) throw new Error('This write belongs to a project, and its proposal names none');
  return projectId;
}
