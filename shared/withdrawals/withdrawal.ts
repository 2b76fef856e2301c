import type { Selectable } from 'kysely';
import type { WithdrawalRequestsTable } from '../db/schema';
import { Decimal } from '../decimal';
import { asText, DISTRIBUTION_AMOUNT } from '../quantities';
import type { WithdrawalDto } from './schemas';
import { isoOrNull } from '../iso-instant';

export type WithdrawalRow = Selectable<WithdrawalRequestsTable>;


export const toWithdrawalDto = (row: WithdrawalRow): WithdrawalDto => ({
  id: row.id,
  distribution_allocation_id: row.distribution_allocation_id,
  distribution_event_id: row.distribution_event_id,
  project_id: row.project_id,
  lp_token_holder_id: row.lp_token_holder_id,
  amount: new Decimal(row.amount).toFixed(7),
  status: row.status,
  requested_at: row.requested_at.toISOString(),
  decided_by: row.decided_by,
  decided_at: isoOrNull(row.decided_at),
  decision_reason: row.decision_reason,
  paid_by: row.paid_by,
  paid_at: isoOrNull(row.paid_at),
  payment_reference: row.payment_reference,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/** What every withdrawal event says of its request (shared/events/catalog.ts). */
export const withdrawalEventFields = (row: WithdrawalRow) => ({
  project_id: row.project_id,
  distribution_event_id: row.distribution_event_id,
  allocation_id: row.distribution_allocation_id,
  withdrawal_id: row.id,
  holder_id: row.lp_token_holder_id,
  amount: asText(DISTRIBUTION_AMOUNT, row.amount),
});
