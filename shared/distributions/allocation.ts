import { numericText7 } from '../decimal';
import { csvNumber, csvText } from '../http/csv-cells';
import type { AllocationCsvRow, AllocationRow } from './allocations.repository';
import type { AllocationDto } from './schemas';


export const toAllocationDto = (row: AllocationRow): AllocationDto => ({
  id: row.id,
  distribution_event_id: row.distribution_event_id,
  distribution_title: row.distribution_title,
  distribution_status: row.distribution_status,
  distribution_date: row.distribution_date.toISOString(),
  project_id: row.project_id,
  project_name: row.project_name,
  lp_token_holder_id: row.lp_token_holder_id,
  holder_name: row.holder_name,
  holder_email: row.holder_email,
  lp_tokens_held: numericText7(row.lp_tokens_held),
  ownership_percentage: numericText7(row.ownership_percentage),
  allocated_amount: numericText7(row.allocated_amount),
  withdrawn_amount: numericText7(row.withdrawn_amount),
  pending_amount: numericText7(row.pending_amount),
  available_amount: numericText7(row.available_amount),
  status: row.status,
  created_at: row.created_at.toISOString(),
});

export const ALLOCATION_CSV_HEADER = 'holder_id,email,tokens,percentage,allocated,withdrawn,pending,available';

/** One holder's line of the payment file: the id and e-mail as text cells, the amounts as numbers. */
export const toAllocationCsvLine = (row: AllocationCsvRow) =>
  [
    csvText(row.lp_token_holder_id),
    // An empty cell, never a stale address: nobody vouches for this holder's e-mail now.
    csvText(row.holder_email ?? ''),
    ...[
      row.lp_tokens_held,
      row.ownership_percentage,
      row.allocated_amount,
      row.withdrawn_amount,
      row.pending_amount,
      row.available_amount,
    ].map((amount) => csvNumber(numericText7(amount))),
  ].join(',');
