import type { Selectable } from 'kysely';
import type { DistributionEventsTable } from '../db/schema';
import { Decimal } from '../decimal';
import type { CalculationState } from './calculation/calculation-state';
import type { DistributionEventDto } from './schemas';
import { isoOrNull } from '../iso-instant';

/** An event as read for the API and the lifecycle: without the calculation's state, with its phase and holder count (events.repository.ts). */
export type DistributionEventRow = Omit<Selectable<DistributionEventsTable>, 'calculation_state'> & {
  calculation_phase: CalculationState['phase'] | null;
  calculation_holders: string | null;
};

const decimalOrNull = (value: string | null) => (value === null ? null : new Decimal(value));

export interface DistributionEvent {
  row: DistributionEventRow;
  totalAmount: Decimal;
  totalAllocated: Decimal;
  totalWithdrawn: Decimal;
  totalPending: Decimal;
}

export const toDistributionEvent = (row: DistributionEventRow): DistributionEvent => ({
  row,
  totalAmount: new Decimal(row.total_amount),
  totalAllocated: new Decimal(row.total_allocated),
  totalWithdrawn: new Decimal(row.total_withdrawn),
  totalPending: new Decimal(row.total_pending),
});

/** What a calculation in progress has done, for `GET /api/distributions/:id`. */
function progressOf(row: DistributionEventRow): DistributionEventDto['progress'] {
  if (row.status !== 'calculating') return null;
  // A request writes the first state; none yet reads as the snapshot pass about to begin.
  const phase = row.calculation_phase ?? 'snapshot';
  return {
    phase,
    holders_done: row.holders_done,
    holders_total: (phase === 'select' || phase === 'write') && row.calculation_holders !== null ? Number(row.calculation_holders) : null,
  };
}

export function toDistributionEventDto({ row, ...event }: DistributionEvent): DistributionEventDto {
  return {
    id: row.id,
    project_id: row.project_id,
    event_type: row.event_type,
    title: row.title,
    description: row.description,
    total_amount: event.totalAmount.toFixed(7),
    distribution_date: row.distribution_date.toISOString(),
    status: row.status,
    progress: progressOf(row),
    failure_reason: row.failure_reason,
    snapshot_date: isoOrNull(row.snapshot_date),
    snapshot_total_lp_tokens: decimalOrNull(row.snapshot_total_lp_tokens)?.toFixed(7) ?? null,
    snapshot_holder_count: row.snapshot_holder_count,
    snapshot_nav: decimalOrNull(row.snapshot_nav)?.toFixed(8) ?? null,
    snapshot_hash: row.snapshot_hash,
    total_allocated: event.totalAllocated.toFixed(7),
    total_withdrawn: event.totalWithdrawn.toFixed(7),
    total_pending: event.totalPending.toFixed(7),
    total_available: event.totalAllocated.minus(event.totalWithdrawn).minus(event.totalPending).toFixed(7),
    created_by: row.created_by,
    calculation_requested_by: row.calculation_requested_by,
    calculation_requested_at: isoOrNull(row.calculation_requested_at),
    calculated_at: isoOrNull(row.calculated_at),
    approved_by: row.approved_by,
    approved_at: isoOrNull(row.approved_at),
    completed_at: isoOrNull(row.completed_at),
    completion_reason: row.completion_reason,
    cancelled_by: row.cancelled_by,
    cancelled_at: isoOrNull(row.cancelled_at),
    cancellation_reason: row.cancellation_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
