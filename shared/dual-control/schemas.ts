import { z } from 'zod';
import { freeText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { PROPOSAL_ACTIONS, PROPOSAL_STATUSES } from './proposal';

export const proposalPath = z.object({ id: uuidField });

export const listProposalsQuery = z.strictObject({
  status: z.enum(PROPOSAL_STATUSES).optional(),
  action: z.enum(PROPOSAL_ACTIONS).optional(),
  project_id: uuidField.optional(),
  ...pageQuery,
});

export const rejectProposalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });

/** A withdrawal may say why; no body at all is fine too. */
export const withdrawProposalBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }).optional() }).optional();
