import * as z from '../zod';
import { freeText, idText, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import type { ProposalAction, ProposalStatus } from '../db/schema';

export const proposalAction = z.enum(['nav.record', 'lp_tokens.issue', 'treasury.inflow', 'treasury.replenish'] as const satisfies readonly ProposalAction[]);
export const proposalStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'expired'] as const satisfies readonly ProposalStatus[]);

export const proposalPath = z.object({ id: uuidField });

export const listProposalsQuery = z.strictObject({
  status: z.optional(proposalStatus),
  action: z.optional(proposalAction),
  project_id: z.optional(uuidField),
  ...pageQuery,
});

export const rejectProposalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });

/** A withdrawal may say why; no body at all is fine too. */
export const withdrawProposalBody = z.optional(z.strictObject({ reason: z.optional(freeText({ max: REASON_MAX_CHARS })) }));

/** What approving a proposal applies: the request as its route takes it. */
export const proposedRequestColumn = z.record(z.string(), z.unknown());

export const proposalDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      action: proposalAction,
      project_id: z.nullable(idText),
      request: proposedRequestColumn,
      status: proposalStatus,
      proposed_by: idText,
      proposed_at: instantText,
      expires_at: z.described(instantText, 'Until when a second admin can decide it; past it the proposal ends as `expired`.'),
      decided_by: z.nullable(idText),
      decided_at: z.nullable(instantText),
      decision_reason: z.nullable(z.string()),
      applied_record_id: z.described(z.nullable(idText), 'The row the approval wrote: a NAV entry, a token movement or a treasury transaction.'),
    }),
    { id: 'Proposal' },
  ),
);
export type ProposalDto = z.output<typeof proposalDto>;
