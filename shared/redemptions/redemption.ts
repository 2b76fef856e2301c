import { fromJsonColumn } from '../db/json-columns';
import { Decimal } from '../decimal';
import type { RedemptionView } from './redemptions.repository';
import { fundingPlanColumn, paymentsColumn, type RedemptionDto } from './schemas';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** A request as its owner or an admin sees it; the task token never leaves the server. */
export const toRedemptionDto = (row: RedemptionView): RedemptionDto => ({
  id: row.id,
  user_id: row.user_id,
  project_id: row.project_id,
  tokens_amount: new Decimal(row.tokens_amount).toFixed(7),
  nav_snapshot: new Decimal(row.nav_snapshot).toFixed(8),
  redemption_value_ngnts: new Decimal(row.redemption_value_ngnts).toFixed(2),
  status: row.status,
  funding_plan: fromJsonColumn(fundingPlanColumn, row.funding_plan),
  tx_hashes: fromJsonColumn(paymentsColumn, row.tx_hashes),
  rejection_reason: row.rejection_reason,
  failure_reason: row.failure_reason,
  decided_by: row.decided_by,
  decided_at: iso(row.decided_at),
  approval_expires_at: iso(row.approval_expires_at),
  created_at: row.created_at.toISOString(),
  processed_at: iso(row.processed_at),
  updated_at: row.updated_at.toISOString(),
});
