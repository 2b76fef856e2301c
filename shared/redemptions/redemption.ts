import { fromJsonColumn } from '../db/json-columns';
import { Decimal } from '../decimal';
import type { Caller } from '../identity/caller';
import { asText, LP_TOKENS, NGNTS } from '../quantities';
import { lpReason } from './reasons';
import type { RedemptionView } from './redemptions.repository';
import { type AdminRedemptionDto, fundingPlanColumn, type LpRedemptionDto, paymentsColumn, type RedemptionDto } from './schemas';
import { isoOrNull } from '../iso-instant';


/**
 * A request as its LP sees it: amounts, status, dates and, once it ended unpaid, the reason as a
 * code and plain words. Nothing of the treasury: not the funding plan nor the payments (wallets,
 * per-wallet amounts, the shortfall), not the detailed reasons, not who decided.
 */
export const toLpRedemptionDto = (row: RedemptionView): LpRedemptionDto => ({
  id: row.id,
  user_id: row.user_id,
  project_id: row.project_id,
  tokens_amount: new Decimal(row.tokens_amount).toFixed(7),
  nav_snapshot: new Decimal(row.nav_snapshot).toFixed(8),
  redemption_value_ngnts: new Decimal(row.redemption_value_ngnts).toFixed(2),
  status: row.status,
  reason: row.reason_code === null ? null : lpReason(row.reason_code),
  decided_at: isoOrNull(row.decided_at),
  approval_expires_at: isoOrNull(row.approval_expires_at),
  created_at: row.created_at.toISOString(),
  processed_at: isoOrNull(row.processed_at),
  updated_at: row.updated_at.toISOString(),
});

/** A request as an admin sees it: the LP's view, and the treasury's side of it. The task token never leaves the server. */
export const toAdminRedemptionDto = (row: RedemptionView): AdminRedemptionDto => ({
  ...toLpRedemptionDto(row),
  funding_plan: fromJsonColumn(fundingPlanColumn, row.funding_plan),
  tx_hashes: fromJsonColumn(paymentsColumn, row.tx_hashes),
  rejection_reason: row.rejection_reason,
  failure_reason: row.failure_reason,
  decided_by: row.decided_by,
});

/** The view of a request its caller may have: the admin's, or its LP's. */
export const redemptionDtoFor = (caller: Caller): ((row: RedemptionView) => RedemptionDto) =>
  caller.role === 'admin' ? toAdminRedemptionDto : toLpRedemptionDto;

/** What every redemption event says of its request (shared/events/catalog.ts), at the API's scales. */
export const redemptionEventFields = (row: Pick<RedemptionView, 'id' | 'project_id' | 'user_id' | 'tokens_amount' | 'redemption_value_ngnts'>) => ({
  project_id: row.project_id,
  redemption_id: row.id,
  holder_id: row.user_id,
  tokens_amount: asText(LP_TOKENS, row.tokens_amount),
  value_ngnts: asText(NGNTS, row.redemption_value_ngnts),
});
