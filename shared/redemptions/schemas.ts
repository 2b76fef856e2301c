import * as z from '../zod';
import type { RedemptionReasonCode } from '../db/schema';
import { freeText, idText, instantText, pageQuery, REASON_MAX_CHARS, uuidField } from '../http/schemas';
import { navText } from '../nav/nav-entry';
import { ngntsText } from '../treasury/ngnts';
import { walletRole } from '../wallets/wallet-fields';
import { tokenAmount, tokenText } from '../lp-tokens/token-fields';

export const redemptionPath = z.object({ id: uuidField });

export const requestRedemptionBody = z.strictObject({
  project_id: uuidField,
  tokens_amount: tokenAmount,
});
export type RequestRedemptionInput = z.output<typeof requestRedemptionBody>;

export const rejectRedemptionBody = z.strictObject({ reason: freeText({ max: REASON_MAX_CHARS }) });

export const redemptionStatus = z.enum(['pending', 'awaiting_approval', 'processing', 'completed', 'rejected', 'failed']);

export const listRedemptionsQuery = z.strictObject({
  status: z.optional(redemptionStatus),
  ...pageQuery,
});

/** How the value is paid: from the treasury pool first, then liquidity wallets (funding-plan.ts). */
export const fundingPlanDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      value_ngnts: ngntsText,
      sources: z.array(z.object({ wallet: z.string(), role: walletRole, amount_ngnts: ngntsText })),
      shortfall_ngnts: z.described(ngntsText, 'What the sources could not cover; "0.00" when the plan is complete.'),
    }),
    { id: 'FundingPlan' },
  ),
);

/** One payment of a completed request: the buyback transaction that paid it from one wallet. */
export const redemptionPaymentDto = z.responseSchema(() =>
  z.withMeta(z.object({ treasury_transaction_id: idText, wallet: z.string(), amount_ngnts: ngntsText }), {
    id: 'RedemptionPayment',
  }),
);

/** What funding_plan holds: the plan; `{}` until the request is planned; another object for a request recorded before plans were kept. */
export const fundingPlanColumn = z.union([fundingPlanDto, z.record(z.string(), z.unknown())]);
/** What tx_hashes holds: the payments, once completed; a request recorded before payments were kept lists transaction hashes. */
export const paymentsColumn = z.array(z.union([redemptionPaymentDto, z.string()]));

const redemptionReasonCode = z.enum([
  'rejected',
  'treasury_unavailable',
  'approval_expired',
  'no_longer_valid',
  'processing_failed',
] as const satisfies readonly RedemptionReasonCode[]);

/** A request as its LP sees it (redemption.ts): nothing of the treasury. */
export const lpRedemptionDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      user_id: idText,
      project_id: idText,
      tokens_amount: tokenText,
      nav_snapshot: navText,
      redemption_value_ngnts: ngntsText,
      status: redemptionStatus,
      reason: z.described(
        z.nullable(z.object({ code: redemptionReasonCode, message: z.string() })),
        'Why it ended unpaid (rejected or failed), in words an LP can read; null otherwise.',
      ),
      decided_at: z.nullable(instantText),
      approval_expires_at: z.nullable(instantText),
      created_at: instantText,
      processed_at: z.nullable(instantText),
      updated_at: instantText,
    }),
    { id: 'LpRedemption' },
  ),
);
export type LpRedemptionDto = z.output<typeof lpRedemptionDto>;

/** A request as an admin sees it: the LP's view, and the treasury's side of it. */
export const adminRedemptionDto = z.responseSchema(() =>
  z.withMeta(
    z.extend(z.built(lpRedemptionDto), {
      funding_plan: fundingPlanColumn,
      tx_hashes: paymentsColumn,
      rejection_reason: z.nullable(z.string()),
      failure_reason: z.nullable(z.string()),
      decided_by: z.nullable(idText),
    }),
    { id: 'AdminRedemption' },
  ),
);
export type AdminRedemptionDto = z.output<typeof adminRedemptionDto>;

/** A request as its caller may see it: an admin the admin's view, its LP the LP's. */
export const redemptionDto = z.responseSchema(() =>
  z.withMeta(z.union([adminRedemptionDto, lpRedemptionDto]), {
    id: 'Redemption',
    description: "The admin's view to an admin, the LP's view to its LP.",
  }),
);
export type RedemptionDto = z.output<typeof redemptionDto>;
